using Semola.Core.Training;

namespace Semola.Core.Method;

/// <summary>The methods by their command-line names; each works with every task.</summary>
public static class MethodCatalog
{
    /// <summary>Every method's name.</summary>
    public static readonly IReadOnlyList<string> Names = ["semola", "base", "gt-aug", "augerino", "augerino-plus", "liegan", "equivariant"];

    /// <summary>A new instance of the method called <paramref name="name"/>.</summary>
    public static TrainingMethod Create(string name) => name switch
    {
        "semola" => new SemolaMethod(),
        "base" => new BaseMethod(),
        "gt-aug" => new GtAugMethod(),
        "augerino" => new AugerinoMethod(),
        "augerino-plus" => new AugerinoPlusMethod(),
        "liegan" => new LieGanMethod(),
        "equivariant" => new BaseMethod(equivariant: true),
        _ => throw new ArgumentException($"--method '{name}' is unknown; expected {string.Join(", ", Names)}."),
    };

    /// <summary>Test-time copies a method averages over unless --tta says otherwise (Augerino: 4; the rest: none).</summary>
    public static int DefaultTestTimeCopies(string name) => name == "augerino" ? 4 : 0;
}
