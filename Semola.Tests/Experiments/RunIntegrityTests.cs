using System.Text.Json;
using Semola.Experiments;

namespace Semola.Tests.Experiments;

/// <summary>Runs that cannot lie: one test per way a run used to finish with wrong or mislabelled results.</summary>
public class RunIntegrityTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => App.Run(args);

    private static string TempDir() => Path.Combine(Path.GetTempPath(), "semola-integrity-" + Guid.NewGuid().ToString("N"));

    private static string[] Tiny(string dir) => ["nbody", "--method", "base", "--train-size", "12", "--test-size", "4", "--steps", "6", "--hidden", "8", "--out", dir];

    private static void Cleanup(string dir)
    {
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void ResumeRefusesChangedOptionsAndSaysWhich()
    {
        string dir = TempDir();
        try
        {
            Assert.Equal(0, Run([.. Tiny(dir), "--epochs", "1"]).Code);
            var (code, _, err) = Run([.. Tiny(dir), "--epochs", "2", "--lr", "0.01", "--resume"]);
            Assert.Equal(1, code);
            Assert.Contains("--lr: 0.001 -> 0.01", err);
            var ok = Run([.. Tiny(dir), "--epochs", "2", "--resume"]);
            Assert.True(ok.Code == 0, ok.Err);
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json")));
            Assert.Equal(2, doc.RootElement.GetProperty("epochs").GetInt32());
            var done = Run([.. Tiny(dir), "--epochs", "2", "--resume"]);
            Assert.Equal(0, done.Code);
            Assert.Contains("nothing to do", done.Out);
        }
        finally
        {
            Cleanup(dir);
        }
    }

    [Fact]
    public void AFreshRunRefusesAnotherRunsDirectoryUnlessOverwrite()
    {
        string dir = TempDir();
        try
        {
            Assert.Equal(0, Run([.. Tiny(dir), "--epochs", "3"]).Code);
            var (code, _, err) = Run([.. Tiny(dir), "--epochs", "1", "--seed", "2"]);
            Assert.Equal(1, code);
            Assert.Contains("another run", err);
            var over = Run([.. Tiny(dir), "--epochs", "1", "--seed", "2", "--overwrite"]);
            Assert.True(over.Code == 0, over.Err);
            Assert.Equal(["epoch-001"], Directory.GetDirectories(Path.Combine(dir, "checkpoints")).Select(Path.GetFileName));
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json")));
            Assert.Equal(2, doc.RootElement.GetProperty("seed").GetInt32());
        }
        finally
        {
            Cleanup(dir);
        }
    }

    [Fact]
    public void ASecondRunIntoALockedDirectoryFailsAtOnceNamingTheHolder()
    {
        string dir = TempDir();
        Directory.CreateDirectory(dir);
        try
        {
            using (RunLock.Acquire(dir))
            {
                var (code, output, err) = Run([.. Tiny(dir), "--epochs", "1"]);
                Assert.Equal(1, code);
                Assert.Contains("in use by another run", err);
                Assert.Contains($"pid {Environment.ProcessId}", err);
                Assert.DoesNotContain("epoch 1", output);
            }
            Assert.Equal(0, Run([.. Tiny(dir), "--epochs", "1"]).Code);
        }
        finally
        {
            Cleanup(dir);
        }
    }

    [Fact]
    public void ABlownUpLossStopsWithExitOneAndAnHonestMessage()
    {
        string dir = TempDir();
        try
        {
            var (code, _, err) = Run([.. Tiny(dir), "--epochs", "2", "--lr", "5e4", "--lr-schedule", "constant"]);
            Assert.Equal(1, code);
            Assert.Contains("diverged in epoch 2", err);
            Assert.Contains("The last good checkpoint is epoch 1", err);
            Assert.True(Directory.Exists(Path.Combine(dir, "checkpoints", "epoch-001")));
            Assert.False(Directory.Exists(Path.Combine(dir, "checkpoints", "epoch-002")));
            Assert.Single(err.Trim().Split('\n'));
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json")));
            Assert.True(doc.RootElement.GetProperty("diverged").GetBoolean());
            Assert.False(doc.RootElement.GetProperty("finished").GetBoolean());
            Assert.Equal(1, doc.RootElement.GetProperty("epochs").GetInt32());
        }
        finally
        {
            Cleanup(dir);
        }
    }

    [Fact]
    public void AnOutThatIsAFileFailsBeforeAnyWork()
    {
        string file = Path.GetTempFileName();
        try
        {
            var (code, output, err) = Run([.. Tiny(file), "--epochs", "1"]);
            Assert.Equal(1, code);
            Assert.Contains("cannot be written", err);
            Assert.DoesNotContain("epoch", output);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
