namespace Semola.Core.Lie;

/// <summary>
/// The set of n x n matrices a learned generator may take, as a linear parametrisation: a generator
/// with free coefficients theta (length <see cref="FreeParameters"/>) is L = sum_p theta_p E_p for fixed
/// matrices E_p. A 0/1 mask is the special case where each E_p is one matrix unit; tied entries (the
/// same 2x2 block repeated along the diagonal) are the case where E_p has several non-zero entries.
/// </summary>
public sealed class SearchSpace
{
    private SearchSpace(string name, int n, double[][,] elements)
    {
        Name = name;
        N = n;
        Elements = elements;
    }

    /// <summary>A short name (used in results and logs).</summary>
    public string Name { get; }

    /// <summary>Matrix order n.</summary>
    public int N { get; }

    /// <summary>The fixed spanning matrices E_p, each n x n.</summary>
    public IReadOnlyList<double[,]> Elements { get; }

    /// <summary>Number of free coefficients per generator.</summary>
    public int FreeParameters => Elements.Count;

    /// <summary>The flattened spanning set as a row-major [FreeParameters, n * n] array.</summary>
    public float[] FlatElements()
    {
        var flat = new float[FreeParameters * N * N];
        for (int p = 0; p < FreeParameters; p++)
        {
            for (int i = 0; i < N; i++)
            {
                for (int j = 0; j < N; j++)
                {
                    flat[(p * N + i) * N + j] = (float)Elements[p][i, j];
                }
            }
        }
        return flat;
    }

    /// <summary>Every entry of a mask that is 1 becomes a free coefficient.</summary>
    public static SearchSpace FromMask(string name, bool[,] mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        int n = mask.GetLength(0);
        if (mask.GetLength(1) != n || n == 0)
        {
            throw new ArgumentException($"Search space '{name}': the mask must be square and non-empty, got {mask.GetLength(0)}x{mask.GetLength(1)}.");
        }
        var elements = new List<double[,]>();
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if (mask[i, j])
                {
                    var e = new double[n, n];
                    e[i, j] = 1;
                    elements.Add(e);
                }
            }
        }
        if (elements.Count == 0)
        {
            throw new ArgumentException($"Search space '{name}': the mask selects no entry.");
        }
        return new SearchSpace(name, n, elements.ToArray());
    }

    /// <summary>2D affine maps of images in 3x3 homogeneous form: the top two rows free, the last row zero.</summary>
    public static SearchSpace Affine2D()
    {
        var mask = new bool[3, 3];
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                mask[i, j] = true;
            }
        }
        return FromMask("affine2d", mask);
    }

    /// <summary>
    /// Linear maps of images in 3x3 homogeneous form: gl(2) in the top-left 2x2 block (rotation, scaling, stretch and
    /// shear about the image centre), no translation. For a model that is already translation-equivariant (a CNN with
    /// global pooling) and data whose patches are crops at arbitrary positions, translations are a symmetry the
    /// architecture holds by construction; leaving them out lets a learned generator look for the rest.
    /// </summary>
    public static SearchSpace Linear2D()
    {
        var mask = new bool[3, 3];
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                mask[i, j] = true;
            }
        }
        return FromMask("linear2d", mask);
    }

    /// <summary>Linear maps of 3D points in 4x4 homogeneous form (gl(3) in the top-left 3x3 block, no translation).</summary>
    public static SearchSpace Linear3D()
    {
        var mask = new bool[4, 4];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                mask[i, j] = true;
            }
        }
        return FromMask("linear3d", mask);
    }

    /// <summary>3D affine maps of point sets in 4x4 homogeneous form: the top three rows free, the last row zero.</summary>
    public static SearchSpace Affine3D()
    {
        var mask = new bool[4, 4];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                mask[i, j] = true;
            }
        }
        return FromMask("affine3d", mask);
    }

    /// <summary>All of gl(n).</summary>
    public static SearchSpace Full(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var mask = new bool[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                mask[i, j] = true;
            }
        }
        return FromMask($"gl{n}", mask);
    }

    /// <summary>
    /// Block-diagonal generators with <paramref name="blocks"/> free 2x2 blocks (for states made of
    /// (x, y) pairs: each pair may transform differently).
    /// </summary>
    public static SearchSpace FreeBlocks2x2(int blocks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blocks, 1);
        int n = 2 * blocks;
        var mask = new bool[n, n];
        for (int b = 0; b < blocks; b++)
        {
            for (int i = 0; i < 2; i++)
            {
                for (int j = 0; j < 2; j++)
                {
                    mask[2 * b + i, 2 * b + j] = true;
                }
            }
        }
        return FromMask("free-blocks", mask);
    }

    /// <summary>
    /// Block-diagonal generators whose <paramref name="blocks"/> 2x2 blocks are all the same (every
    /// (x, y) pair transforms alike): 4 free coefficients.
    /// </summary>
    public static SearchSpace SharedBlocks2x2(int blocks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blocks, 1);
        int n = 2 * blocks;
        var elements = new double[4][,];
        for (int p = 0; p < 4; p++)
        {
            var e = new double[n, n];
            for (int b = 0; b < blocks; b++)
            {
                e[2 * b + p / 2, 2 * b + p % 2] = 1;
            }
            elements[p] = e;
        }
        return new SearchSpace("shared-blocks", n, elements);
    }

    /// <summary>Parses a name from the command line: affine2d, linear2d, affine3d, linear3d, full, free-blocks, shared-blocks.</summary>
    public static SearchSpace Parse(string name, int n)
    {
        var space = name switch
        {
            "affine2d" => Affine2D(),
            "linear2d" => Linear2D(),
            "affine3d" => Affine3D(),
            "linear3d" => Linear3D(),
            "full" => Full(n),
            "free-blocks" when n % 2 == 0 => FreeBlocks2x2(n / 2),
            "shared-blocks" when n % 2 == 0 => SharedBlocks2x2(n / 2),
            _ => throw new ArgumentException($"Unknown search space '{name}' for n = {n}; expected affine2d, linear2d, affine3d, linear3d, full, free-blocks or shared-blocks (the last two need an even n)."),
        };
        if (space.N != n)
        {
            throw new ArgumentException($"--space {name} holds {space.N}x{space.N} generators, but this data's group acts by {n}x{n} matrices.");
        }
        return space;
    }
}
