using ILGPU;

namespace Semola.Kernels.Ilgpu;

/// <summary>
/// Tiled GEMM: a group of T x T threads (T = 16 on GPUs) computes a 4T x 4T tile of C, staging
/// 4T x 16 slices of A and 16 x 4T slices of B in (dynamic) shared memory; each thread accumulates a
/// 4 x 4 block of outputs in registers (rows ty + T i, columns tx + T j). Transposes are handled by the
/// index math of the loads (chosen so that neighbouring threads read neighbouring addresses); grid z
/// is the batch. The CPU simulator runs the same code with T = 4 to keep its barriers cheap.
/// </summary>
internal static class GemmKernels
{
    /// <summary>Depth of one shared-memory slice.</summary>
    public const int TileK = 16;

    /// <summary>Floats of dynamic shared memory for a group edge of <paramref name="threads"/>.</summary>
    public static int SharedFloats(int threads) => 2 * 4 * threads * TileK;

    public static void Tiled(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, GemmParams p)
    {
        int threads = Group.DimX;
        int tile = 4 * threads;
        var shared = SharedMemory.GetDynamic<float>();
        var sa = shared.SubView(0, tile * TileK);
        var sb = shared.SubView(tile * TileK, tile * TileK);
        int tx = Group.IdxX;
        int ty = Group.IdxY;
        int t = ty * threads + tx;
        int n0 = Grid.IdxX * tile;
        int m0 = Grid.IdxY * tile;
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
            for (int e = t; e < tile * TileK; e += threads * threads)
            {
                int mm = p.TransA != 0 ? e % tile : e / TileK;
                int ka = p.TransA != 0 ? e / tile : e % TileK;
                int gm = m0 + mm;
                int gka = k0 + ka;
                float va = 0f;
                if (gm < p.M && gka < p.K)
                {
                    va = p.TransA != 0 ? a[aBase + (long)gka * p.Lda + gm] : a[aBase + (long)gm * p.Lda + gka];
                }
                sa[ka * tile + mm] = va;

                int nn = p.TransB != 0 ? e / TileK : e % tile;
                int kb = p.TransB != 0 ? e % TileK : e / tile;
                int gn = n0 + nn;
                int gkb = k0 + kb;
                float vb = 0f;
                if (gn < p.N && gkb < p.K)
                {
                    vb = p.TransB != 0 ? b[bBase + (long)gn * p.Ldb + gkb] : b[bBase + (long)gkb * p.Ldb + gn];
                }
                sb[kb * tile + nn] = vb;
            }
            Group.Barrier();
            for (int kk = 0; kk < TileK; kk++)
            {
                int o = kk * tile;
                float a0 = sa[o + ty], a1 = sa[o + ty + threads], a2 = sa[o + ty + 2 * threads], a3 = sa[o + ty + 3 * threads];
                float b0 = sb[o + tx], b1 = sb[o + tx + threads], b2 = sb[o + tx + 2 * threads], b3 = sb[o + tx + 3 * threads];
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
        Store(c, p, cBase, row, col, c00);
        Store(c, p, cBase, row, col + 1 * threads, c01);
        Store(c, p, cBase, row, col + 2 * threads, c02);
        Store(c, p, cBase, row, col + 3 * threads, c03);
        Store(c, p, cBase, row + 1 * threads, col, c10);
        Store(c, p, cBase, row + 1 * threads, col + 1 * threads, c11);
        Store(c, p, cBase, row + 1 * threads, col + 2 * threads, c12);
        Store(c, p, cBase, row + 1 * threads, col + 3 * threads, c13);
        Store(c, p, cBase, row + 2 * threads, col, c20);
        Store(c, p, cBase, row + 2 * threads, col + 1 * threads, c21);
        Store(c, p, cBase, row + 2 * threads, col + 2 * threads, c22);
        Store(c, p, cBase, row + 2 * threads, col + 3 * threads, c23);
        Store(c, p, cBase, row + 3 * threads, col, c30);
        Store(c, p, cBase, row + 3 * threads, col + 1 * threads, c31);
        Store(c, p, cBase, row + 3 * threads, col + 2 * threads, c32);
        Store(c, p, cBase, row + 3 * threads, col + 3 * threads, c33);
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
