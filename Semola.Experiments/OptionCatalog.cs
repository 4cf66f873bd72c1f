using System.Reflection;
using CommandLine;

namespace Semola.Experiments;

/// <summary>
/// The verbs of this program and their options, found by reflection over the option classes (every class marked
/// <see cref="VerbAttribute"/>), so configuration files and sweeps know every verb, including ones added later.
/// </summary>
public static class OptionCatalog
{
    /// <summary>The options class of <paramref name="verb"/>, or null when no class declares that verb.</summary>
    public static Type? OptionsType(string verb) =>
        typeof(OptionCatalog).Assembly.GetTypes().FirstOrDefault(t => t.GetCustomAttribute<VerbAttribute>() is { } v && v.Name == verb);

    /// <summary>The names of every verb declared by an options class, in order.</summary>
    public static IReadOnlyList<string> Verbs() =>
        typeof(OptionCatalog).Assembly.GetTypes().Select(t => t.GetCustomAttribute<VerbAttribute>()?.Name).OfType<string>().Order(StringComparer.Ordinal).ToArray();

    /// <summary>The verb of an options object (from its <see cref="VerbAttribute"/>).</summary>
    public static string VerbOf(object options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.GetType().GetCustomAttribute<VerbAttribute>()?.Name
            ?? throw new ArgumentException($"{options.GetType().Name} is not the options class of a verb.", nameof(options));
    }

    /// <summary>Every option of an options class: long name to property.</summary>
    public static IReadOnlyDictionary<string, PropertyInfo> Options(Type optionsType)
    {
        ArgumentNullException.ThrowIfNull(optionsType);
        var options = new Dictionary<string, PropertyInfo>(StringComparer.Ordinal);
        foreach (var p in optionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetCustomAttribute<OptionAttribute>() is { } attr)
            {
                options[attr.LongName] = p;
            }
        }
        return options;
    }

    /// <summary>Whether the option is a switch (a boolean given by its bare name).</summary>
    public static bool IsSwitch(PropertyInfo option)
    {
        ArgumentNullException.ThrowIfNull(option);
        return (Nullable.GetUnderlyingType(option.PropertyType) ?? option.PropertyType) == typeof(bool);
    }

    /// <summary>Whether the option takes a whole number.</summary>
    public static bool IsInteger(PropertyInfo option)
    {
        ArgumentNullException.ThrowIfNull(option);
        var t = Nullable.GetUnderlyingType(option.PropertyType) ?? option.PropertyType;
        return t == typeof(int) || t == typeof(long);
    }

    /// <summary>Whether the option takes a real number.</summary>
    public static bool IsReal(PropertyInfo option)
    {
        ArgumentNullException.ThrowIfNull(option);
        var t = Nullable.GetUnderlyingType(option.PropertyType) ?? option.PropertyType;
        return t == typeof(double) || t == typeof(float);
    }

    /// <summary>The separator of a list option (one that takes several values), or null for a single-valued option.</summary>
    public static char? ListSeparator(PropertyInfo option)
    {
        ArgumentNullException.ThrowIfNull(option);
        if (option.PropertyType == typeof(string) || !typeof(System.Collections.IEnumerable).IsAssignableFrom(option.PropertyType))
        {
            return null;
        }
        char sep = option.GetCustomAttribute<OptionAttribute>()!.Separator;
        return sep == '\0' ? ' ' : sep;
    }
}
