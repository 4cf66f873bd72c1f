namespace Semola.Autodiff.Nn;

/// <summary>
/// Child modules applied in order. Children added without a name are named by their position
/// ("0", "1", ...), so parameters are named like "0.weight".
/// </summary>
public class Sequential : Module
{
    private readonly List<Module> _layers = [];

    /// <summary>Creates the container from <paramref name="layers"/>.</summary>
    public Sequential(params Module[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        foreach (var layer in layers)
        {
            Add(layer);
        }
    }

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<Module> Layers => _layers;

    /// <summary>Number of layers.</summary>
    public int Count => _layers.Count;

    /// <summary>The layer at <paramref name="index"/>.</summary>
    public Module this[int index] => _layers[index];

    /// <summary>Appends a layer named by its position; returns this container.</summary>
    public Sequential Add(Module layer) => Add(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer);

    /// <summary>Appends a named layer; returns this container.</summary>
    public Sequential Add(string name, Module layer)
    {
        _layers.Add(RegisterModule(name, layer));
        return this;
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var layer in _layers)
        {
            x = layer.Forward(x);
        }
        return x;
    }

    /// <inheritdoc />
    public override string ToString() =>
        GetType().Name + "(\n" + string.Join("\n", NamedChildren().Select(c => $"  ({c.Key}): {c.Value.ToString().Replace("\n", "\n  ", StringComparison.Ordinal)}")) + "\n)";
}
