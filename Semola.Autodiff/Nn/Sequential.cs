namespace Semola.Autodiff.Nn;

/// <summary>
/// Child modules applied in order. Children added without a name are named by their position
/// ("0", "1", ...), so parameters are named like "0.weight".
/// </summary>
public class Sequential : Module
{
    private readonly List<Module> _layers = [];

    /// <summary>Creates the container from <paramref name="layers"/>.</summary>
    public Sequential(params Module[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        foreach (var layer in layers)
        {
            Add(layer);
        }
    }

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<Module> Layers => _layers;

    /// <summary>Number of layers.</summary>
    public int Count => _layers.Count;

    /// <summary>The layer at <paramref name="index"/>.</summary>
    public Module this[int index] => _layers[index];

    /// <summary>Appends a layer named by its position; returns this container.</summary>
    public Sequential Add(Module layer) => Add(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer);

    /// <summary>Appends a named layer; returns this container.</summary>
    public Sequential Add(string name, Module layer)
    {
        _layers.Add(RegisterModule(name, layer));
        return this;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Without gradients (<see cref="GradMode.NoGrad"/>) nothing refers to a layer's input once the
    /// next layer has its output, so each intermediate result is released as soon as it has been
    /// consumed (unless it shares memory with the input or the output, as a reshaping view does): an
    /// evaluation batch then holds about two layers' activations instead of all of them.
    /// </remarks>
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        if (GradMode.IsEnabled)
        {
            foreach (var layer in _layers)
            {
                x = layer.Forward(x);
            }
            return x;
        }

        foreach (var layer in _layers)
        {
            var previous = x;
            using (var scope = new TensorScope())
            {
                x = scope.Keep(layer.Forward(previous));
            }
            if (!ReferenceEquals(previous.Buffer, input.Buffer) && !ReferenceEquals(previous.Buffer, x.Buffer))
            {
                previous.Buffer.Dispose();
            }
        }
        return x;
    }

    /// <inheritdoc />
    public override string ToString() =>
        GetType().Name + "(\n" + string.Join("\n", NamedChildren().Select(c => $"  ({c.Key}): {c.Value.ToString().Replace("\n", "\n  ", StringComparison.Ordinal)}")) + "\n)";
}
