using ILGPU;

namespace Semola.Kernels.Ilgpu;

/// <summary>
/// Tiled GEMM: a group of 16 x 16 threads computes a 64 x 64 tile of C, staging 64 x 16 slices of A
/// and 16 x 64 slices of B in shared memory; each thread accumulates a 4 x 4 block of outputs in
/// registers (rows ty + 16 i, columns tx + 16 j). Transposes are handled by the index math of the
/// loads (chosen so that neighbouring threads read neighbouring addresses); grid z is the batch.
/// </summary>
internal static class GemmKernels
{
    /// <summary>Output tile edge.</summary>
    public const int Tile = 64;

    /// <summary>Depth of one shared-memory slice.</summary>
    public const int TileK = 16;

    /// <summary>Threads per group edge.</summary>
    public const int Threads = 16;

    public static void Tiled(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, GemmParams p)
    {
        var sa = SharedMemory.Allocate1D<float>(Tile * TileK);
        var sb = SharedMemory.Allocate1D<float>(Tile * TileK);
        int tx = Group.IdxX;
        int ty = Group.IdxY;
        int t = ty * Threads + tx;
        int n0 = Grid.IdxX * Tile;
        int m0 = Grid.IdxY * Tile;
        long batch = Grid.IdxZ + p.BatchStart;
        long aBase = p.OffsetA + batch * p.StrideA;
        long bBase = p.OffsetB + batch * p.StrideB;
        long cBase = p.OffsetC + batch * p.StrideC;
        float c00 = 0f, c01 = 0f, c02 = 0f, c03 = 0f;
        float c10 = 0f, c11 = 0f, c12 = 0f, c13 = 0f;
        float c20 = 0f, c21 = 0f, c22 = 0f, c23 = 0f;
        float c30 = 0f, c31 = 0f, c32 = 0f, c33 = 0f;
        for (int k0 = 0; k0 < p.K; k0 += TileK)
        {
            for (int r = 0; r < 4; r++)
            {
                int e = t + Threads * Threads * r;
                int mm = p.TransA != 0 ? e % Tile : e / TileK;
                int ka = p.TransA != 0 ? e / Tile : e % TileK;
                int gm = m0 + mm;
                int gka = k0 + ka;
                float va = 0f;
                if (gm < p.M && gka < p.K)
                {
                    va = p.TransA != 0 ? a[aBase + (long)gka * p.Lda + gm] : a[aBase + (long)gm * p.Lda + gka];
                }
                sa[ka * Tile + mm] = va;

                int nn = p.TransB != 0 ? e / TileK : e % Tile;
                int kb = p.TransB != 0 ? e % TileK : e / Tile;
                int gn = n0 + nn;
                int gkb = k0 + kb;
                float vb = 0f;
                if (gn < p.N && gkb < p.K)
                {
                    vb = p.TransB != 0 ? b[bBase + (long)gn * p.Ldb + gkb] : b[bBase + (long)gkb * p.Ldb + gn];
                }
                sb[kb * Tile + nn] = vb;
            }
            Group.Barrier();
            for (int kk = 0; kk < TileK; kk++)
            {
                int o = kk * Tile;
                float a0 = sa[o + ty], a1 = sa[o + ty + 16], a2 = sa[o + ty + 32], a3 = sa[o + ty + 48];
                float b0 = sb[o + tx], b1 = sb[o + tx + 16], b2 = sb[o + tx + 32], b3 = sb[o + tx + 48];
                c00 += a0 * b0;
                c01 += a0 * b1;
                c02 += a0 * b2;
                c03 += a0 * b3;
                c10 += a1 * b0;
                c11 += a1 * b1;
                c12 += a1 * b2;
                c13 += a1 * b3;
                c20 += a2 * b0;
                c21 += a2 * b1;
                c22 += a2 * b2;
                c23 += a2 * b3;
                c30 += a3 * b0;
                c31 += a3 * b1;
                c32 += a3 * b2;
                c33 += a3 * b3;
            }
            Group.Barrier();
        }
        int row = m0 + ty;
        int col = n0 + tx;
        Store(c, p, cBase, row + 0, col + 0, c00);
        Store(c, p, cBase, row + 0, col + 16, c01);
        Store(c, p, cBase, row + 0, col + 32, c02);
        Store(c, p, cBase, row + 0, col + 48, c03);
        Store(c, p, cBase, row + 16, col + 0, c10);
        Store(c, p, cBase, row + 16, col + 16, c11);
        Store(c, p, cBase, row + 16, col + 32, c12);
        Store(c, p, cBase, row + 16, col + 48, c13);
        Store(c, p, cBase, row + 32, col + 0, c20);
        Store(c, p, cBase, row + 32, col + 16, c21);
        Store(c, p, cBase, row + 32, col + 32, c22);
        Store(c, p, cBase, row + 32, col + 48, c23);
        Store(c, p, cBase, row + 48, col + 0, c30);
        Store(c, p, cBase, row + 48, col + 16, c31);
        Store(c, p, cBase, row + 48, col + 32, c32);
        Store(c, p, cBase, row + 48, col + 48, c33);
    }

    private static void Store(ArrayView<float> c, GemmParams p, long cBase, int m, int n, float v)
    {
        if (m < p.M && n < p.N)
        {
            long idx = cBase + (long)m * p.Ldc + n;
            c[idx] = p.Beta == 0f ? p.Alpha * v : p.Alpha * v + p.Beta * c[idx];
        }
    }
}
