using System.Reflection;
using ILGPU;
using Semola.Kernels.Ilgpu;

namespace Semola.Tests.Kernels.Ilgpu;

/// <summary>
/// Every ILGPU kernel entry point of the backend, found by reflection so that a new kernel is covered
/// without being listed: each public static void method of a static class named "...Kernels" in
/// Semola.Kernels.Ilgpu. A method whose first parameter is an Index1D/2D/3D is an implicitly grouped
/// kernel (launched with LoadAutoGroupedKernel); any other is explicitly grouped (LoadKernel with a
/// KernelConfig). Generic kernels (the elementwise ones over op structs) are instantiated with every
/// struct of Semola.Kernels that satisfies their constraints.
/// </summary>
public static class IlgpuKernelCatalog
{
    /// <summary>One kernel entry point.</summary>
    /// <param name="Name">"Class.Method" or "Class.Method&lt;Op&gt;".</param>
    /// <param name="Method">The closed method to compile.</param>
    /// <param name="ExplicitlyGrouped">True for kernels that read Group/Grid indices themselves.</param>
    public sealed record Entry(string Name, MethodInfo Method, bool ExplicitlyGrouped)
    {
        /// <inheritdoc />
        public override string ToString() => Name;
    }

    private static readonly Type[] IndexTypes = [typeof(Index1D), typeof(Index2D), typeof(Index3D)];

    /// <summary>Every kernel, in a stable order.</summary>
    public static IReadOnlyList<Entry> All { get; } = Build();

    private static List<Entry> Build()
    {
        var assembly = typeof(IlgpuBackend).Assembly;
        var structs = assembly.GetTypes().Where(t => t.IsValueType && !t.IsGenericTypeDefinition && !t.IsEnum).ToArray();
        var entries = new List<Entry>();
        var classes = assembly.GetTypes()
            .Where(t => t.Namespace == typeof(IlgpuBackend).Namespace && t.IsAbstract && t.IsSealed && t.Name.EndsWith("Kernels", StringComparison.Ordinal))
            .OrderBy(t => t.Name, StringComparer.Ordinal);
        foreach (var type in classes)
        {
            var methods = type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(m => m.ReturnType == typeof(void))
                .OrderBy(m => m.Name, StringComparer.Ordinal);
            foreach (var method in methods)
            {
                var parameters = method.GetParameters();
                bool explicitGroup = parameters.Length == 0 || !IndexTypes.Contains(parameters[0].ParameterType);
                string name = type.Name + "." + method.Name;
                if (!method.IsGenericMethodDefinition)
                {
                    entries.Add(new Entry(name, method, explicitGroup));
                    continue;
                }
                var typeParameters = method.GetGenericArguments();
                if (typeParameters.Length != 1)
                {
                    throw new InvalidOperationException($"{name}: kernels with {typeParameters.Length} type parameters are not enumerated; extend {nameof(IlgpuKernelCatalog)}.");
                }
                var constraints = typeParameters[0].GetGenericParameterConstraints();
                var candidates = structs.Where(s => constraints.All(c => c.IsAssignableFrom(s))).OrderBy(s => s.Name, StringComparer.Ordinal).ToArray();
                if (candidates.Length == 0)
                {
                    throw new InvalidOperationException($"{name}: no struct satisfies its type constraints.");
                }
                foreach (var op in candidates)
                {
                    entries.Add(new Entry($"{name}<{op.Name}>", method.MakeGenericMethod(op), explicitGroup));
                }
            }
        }
        return entries;
    }
}
