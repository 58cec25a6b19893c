namespace IngestLambda.Tests.Infrastructure;

/// <summary>A temporary contracts folder (what CONTRACTS_DIR or --contracts names), deleted on dispose.</summary>
internal sealed class TempContracts : IDisposable
{
    public TempContracts(bool withShipped = true)
    {
        Path = Directory.CreateTempSubdirectory("contracts-").FullName;
        if (!withShipped)
            return;
        foreach (var file in Directory.GetFiles(ShippedFolder, "*.json"))
            File.Copy(file, System.IO.Path.Combine(Path, System.IO.Path.GetFileName(file)));
    }

    /// <summary>The repository's contracts, as copied beside the test assembly.</summary>
    public static string ShippedFolder => System.IO.Path.Combine(AppContext.BaseDirectory, "contracts");

    public string Path { get; }

    /// <summary>Writes a contract file and returns its path.</summary>
    public string Add(string fileName, string json)
    {
        var file = System.IO.Path.Combine(Path, fileName);
        File.WriteAllText(file, json);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
