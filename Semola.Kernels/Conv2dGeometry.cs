namespace Semola.Kernels;

/// <summary>
/// Shapes of a 2D convolution or pooling window over NCHW data: input [N, C, H, W], kernel KH x KW,
/// stride, zero padding, output [N, OutC, OH, OW].
/// </summary>
public readonly record struct Conv2dGeometry(int N, int C, int H, int W, int OutC, int KH, int KW, int StrideH, int StrideW, int PadH, int PadW)
{
    /// <summary>Output height.</summary>
    public int OH => (H + 2 * PadH - KH) / StrideH + 1;

    /// <summary>Output width.</summary>
    public int OW => (W + 2 * PadW - KW) / StrideW + 1;
}
