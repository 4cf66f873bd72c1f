namespace Semola.Core.Data;

/// <summary>
/// A batch of molecules as zero-padded dense arrays (see <see cref="MoleculeDataSet.Batch"/>): padding
/// atoms have zero coordinates, an all-zero one-hot row and mask 0.
/// </summary>
/// <param name="Size">Molecules in the batch (B).</param>
/// <param name="MaxAtoms">Padded atom count (A).</param>
/// <param name="Positions">Coordinates [B, A, 3].</param>
/// <param name="TypesOneHot">One-hot element types [B, A, 5] (H, C, N, O, F).</param>
/// <param name="Mask">1 for a real atom, 0 for padding, [B, A].</param>
/// <param name="Targets">Targets [B, T].</param>
public sealed record MoleculeBatch(int Size, int MaxAtoms, float[] Positions, float[] TypesOneHot, float[] Mask, float[] Targets);
