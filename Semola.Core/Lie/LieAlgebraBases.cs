namespace Semola.Core.Lie;

/// <summary>
/// Ground-truth Lie algebra bases of the symmetry groups used in the experiments, as double-precision
/// matrices. Every call returns fresh arrays that the caller may modify.
/// </summary>
public static class LieAlgebraBases
{
    /// <summary>so(2) on the plane, 2x2: [[0, -1], [1, 0]].</summary>
    public static double[,] So2() => new double[,] { { 0, -1 }, { 1, 0 } };

    /// <summary>so(2) acting on images in 3x3 homogeneous form: [[0, -1, 0], [1, 0, 0], [0, 0, 0]].</summary>
    public static double[,] ImageRotation() => new double[,] { { 0, -1, 0 }, { 1, 0, 0 }, { 0, 0, 0 } };

    /// <summary>Image translation along x (3x3 homogeneous): [[0, 0, 1], [0, 0, 0], [0, 0, 0]].</summary>
    public static double[,] ImageTranslationX() => new double[,] { { 0, 0, 1 }, { 0, 0, 0 }, { 0, 0, 0 } };

    /// <summary>Image translation along y (3x3 homogeneous): [[0, 0, 0], [0, 0, 1], [0, 0, 0]].</summary>
    public static double[,] ImageTranslationY() => new double[,] { { 0, 0, 0 }, { 0, 0, 1 }, { 0, 0, 0 } };

    /// <summary>Isotropic image scaling (3x3 homogeneous): [[1, 0, 0], [0, 1, 0], [0, 0, 0]].</summary>
    public static double[,] ImageScaling() => new double[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 0 } };

    /// <summary>Anisotropic stretch of images (3x3 homogeneous): [[1, 0, 0], [0, -1, 0], [0, 0, 0]].</summary>
    public static double[,] ImageStretch() => new double[,] { { 1, 0, 0 }, { 0, -1, 0 }, { 0, 0, 0 } };

    /// <summary>Symmetric shear of images (3x3 homogeneous): [[0, 1, 0], [1, 0, 0], [0, 0, 0]].</summary>
    public static double[,] ImageShear() => new double[,] { { 0, 1, 0 }, { 1, 0, 0 }, { 0, 0, 0 } };

    /// <summary>
    /// The full affine algebra of the image plane (3x3 homogeneous, last row zero), six generators in the order
    /// translation x, translation y, rotation, isotropic scaling, stretch, shear (the set Augerino uses, unscaled).
    /// </summary>
    public static double[][,] ImageAffine() =>
        [ImageTranslationX(), ImageTranslationY(), ImageRotation(), ImageScaling(), ImageStretch(), ImageShear()];

    /// <summary>se(2) on images: rotation, translation x, translation y (3x3 homogeneous).</summary>
    public static double[][,] ImageSe2() => [ImageRotation(), ImageTranslationX(), ImageTranslationY()];

    /// <summary>
    /// Rotation generator of an N-body state (q1, p1, q2, p2, ...), each entry an (x, y) pair: the
    /// 4N x 4N block diagonal of 2N copies of [[0, 1], [-1, 0]].
    /// </summary>
    /// <param name="bodies">Number of bodies (at least 1).</param>
    public static double[,] NBodyRotation(int bodies)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bodies, 1);
        int n = 4 * bodies;
        var l = new double[n, n];
        for (int k = 0; k < n; k += 2)
        {
            l[k, k + 1] = 1;
            l[k + 1, k] = -1;
        }

        return l;
    }

    /// <summary>The 8x8 2-body rotation generator (four [[0, 1], [-1, 0]] blocks on q1, p1, q2, p2).</summary>
    public static double[,] TwoBodyRotation() => NBodyRotation(2);

    /// <summary>The 12x12 3-body rotation generator (six [[0, 1], [-1, 0]] blocks).</summary>
    public static double[,] ThreeBodyRotation() => NBodyRotation(3);

    /// <summary>so(3): rotations about the x, y and z axes, 3x3 (L_x, L_y, L_z with [L_x, L_y] = L_z).</summary>
    public static double[][,] So3() =>
    [
        new double[,] { { 0, 0, 0 }, { 0, 0, -1 }, { 0, 1, 0 } },
        new double[,] { { 0, 0, 1 }, { 0, 0, 0 }, { -1, 0, 0 } },
        new double[,] { { 0, -1, 0 }, { 1, 0, 0 }, { 0, 0, 0 } },
    ];

    /// <summary>
    /// se(3) in 4x4 homogeneous form acting on [p; 1]: the three so(3) rotations in the top-left block,
    /// then the translations along x, y and z (last column).
    /// </summary>
    public static double[][,] Se3()
    {
        var result = new double[6][,];
        double[][,] rot = So3();
        for (int k = 0; k < 3; k++)
        {
            var m = new double[4, 4];
            for (int i = 0; i < 3; i++)
            {
                for (int j = 0; j < 3; j++)
                {
                    m[i, j] = rot[k][i, j];
                }
            }

            result[k] = m;
            var t = new double[4, 4];
            t[k, 3] = 1;
            result[3 + k] = t;
        }

        return result;
    }

    /// <summary>
    /// so(1,3), the Lorentz algebra on (t, x, y, z) with metric diag(-1, 1, 1, 1): the boosts K_x, K_y, K_z
    /// (symmetric, coupling t with one spatial axis) followed by the rotations J_x, J_y, J_z of the spatial block.
    /// </summary>
    public static double[][,] So13()
    {
        var result = new double[6][,];
        for (int k = 0; k < 3; k++)
        {
            var boost = new double[4, 4];
            boost[0, k + 1] = 1;
            boost[k + 1, 0] = 1;
            result[k] = boost;
        }

        double[][,] rot = So3();
        for (int k = 0; k < 3; k++)
        {
            var m = new double[4, 4];
            for (int i = 0; i < 3; i++)
            {
                for (int j = 0; j < 3; j++)
                {
                    m[i + 1, j + 1] = rot[k][i, j];
                }
            }

            result[3 + k] = m;
        }

        return result;
    }
}
