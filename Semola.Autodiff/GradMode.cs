namespace Semola.Autodiff;

/// <summary>
/// Whether operations record themselves for backpropagation on this thread. Recording is on by
/// default; <c>using (GradMode.NoGrad()) { ... }</c> switches it off for a block (evaluation, optimizer
/// updates, backward passes themselves).
/// </summary>
public static class GradMode
{
    [ThreadStatic]
    private static int _noGradDepth;

    /// <summary>True when operations are recorded on this thread.</summary>
    public static bool IsEnabled => _noGradDepth == 0;

    /// <summary>Disables recording until the returned handle is disposed.</summary>
    public static IDisposable NoGrad()
    {
        _noGradDepth++;
        return new Restore();
    }

    private sealed class Restore : IDisposable
    {
        private bool _done;

        public void Dispose()
        {
            if (!_done)
            {
                _done = true;
                _noGradDepth--;
            }
        }
    }
}
