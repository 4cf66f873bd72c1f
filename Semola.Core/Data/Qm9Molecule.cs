namespace Semola.Core.Data;

/// <summary>
/// One molecule of a QM9 xyz file, as written (energies in Hartree, coordinates in Angstrom).
/// </summary>
/// <param name="Index">The GDB index (the second field of the properties line).</param>
/// <param name="Types">Element type per atom (0..4 for H, C, N, O, F; see <see cref="MoleculeDataSet.Elements"/>).</param>
/// <param name="Positions">Coordinates [atoms, 3] row-major, Angstrom.</param>
/// <param name="Charges">Mulliken partial charge per atom, e.</param>
/// <param name="Properties">
/// The 15 scalar properties in file order: rotational constants A, B, C (GHz), dipole moment mu (Debye),
/// polarizability alpha (Bohr^3), HOMO, LUMO and gap (Hartree), electronic spatial extent r2 (Bohr^2),
/// zero-point vibrational energy, U0, U, H, G (Hartree) and heat capacity Cv (cal/(mol K)).
/// </param>
/// <param name="Frequencies">Harmonic vibrational frequencies, cm^-1 (3n-6, or 3n-5 for a linear molecule).</param>
/// <param name="Smiles">SMILES of the GDB-17 and of the relaxed geometry.</param>
/// <param name="InChI">InChI of the GDB-17 and of the relaxed geometry.</param>
public sealed record Qm9Molecule(
    int Index,
    int[] Types,
    double[] Positions,
    double[] Charges,
    double[] Properties,
    double[] Frequencies,
    IReadOnlyList<string> Smiles,
    IReadOnlyList<string> InChI)
{
    /// <summary>Column of HOMO in <see cref="Properties"/>.</summary>
    public const int HomoColumn = 5;

    /// <summary>Column of LUMO in <see cref="Properties"/>.</summary>
    public const int LumoColumn = 6;

    /// <summary>Column of the HOMO-LUMO gap in <see cref="Properties"/>.</summary>
    public const int GapColumn = 7;

    /// <summary>Number of atoms.</summary>
    public int AtomCount => Types.Length;

    /// <summary>HOMO energy, Hartree.</summary>
    public double HomoHartree => Properties[HomoColumn];

    /// <summary>LUMO energy, Hartree.</summary>
    public double LumoHartree => Properties[LumoColumn];

    /// <summary>HOMO-LUMO gap, Hartree.</summary>
    public double GapHartree => Properties[GapColumn];
}
