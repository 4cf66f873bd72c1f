using Semola.Core.Lie;

namespace Semola.Core.Discovery;

/// <summary>Named reference bases a discovered span can be compared with (<c>discover --compare NAME</c>).</summary>
public static class ReferenceAlgebras
{
    /// <summary>The names understood.</summary>
    public static readonly IReadOnlyList<string> Names = ["so2", "so3", "se3", "so13", "scale", "translation"];

    /// <summary>
    /// The basis of <paramref name="name"/> for C x C generators: so2 (C = 2), so3 (C = 3), se3 (C = 4, homogeneous
    /// [p; 1]), so13 (C = 4, (t, x, y, z)), scale (the identity, any C), translation (C &gt;= 2, the last coordinate
    /// homogeneous: E_{i, C-1} for i &lt; C - 1).
    /// </summary>
    public static IReadOnlyList<double[,]> Get(string name, int component)
    {
        ArgumentNullException.ThrowIfNull(name);
        IReadOnlyList<double[,]> basis = name switch
        {
            "so2" => [LieAlgebraBases.So2()],
            "so3" => LieAlgebraBases.So3(),
            "se3" => LieAlgebraBases.Se3(),
            "so13" => LieAlgebraBases.So13(),
            "scale" => [Identity(component)],
            "translation" => component >= 2 ? Translations(component) : throw new ArgumentException($"--compare translation needs a component of at least 2 (the last coordinate homogeneous), got {component}."),
            _ => throw new ArgumentException($"--compare '{name}' is unknown; expected one of {string.Join(", ", Names)}."),
        };
        if (basis[0].GetLength(0) != component)
        {
            throw new ArgumentException($"--compare {name} is made of {basis[0].GetLength(0)}x{basis[0].GetLength(0)} generators, but --component is {component}.");
        }
        return basis;
    }

    private static double[,] Identity(int n)
    {
        var m = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            m[i, i] = 1;
        }
        return m;
    }

    private static double[][,] Translations(int n)
    {
        var result = new double[n - 1][,];
        for (int i = 0; i < n - 1; i++)
        {
            result[i] = new double[n, n];
            result[i][i, n - 1] = 1;
        }
        return result;
    }
}
