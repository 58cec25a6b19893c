using System.Diagnostics;
using System.Globalization;
using IngestLambda.DataGen;

// datagen movies|series (--size 200MB | --rows N) [--seed N] [--crlf] [--bom] [--no-final-newline] [--quoted] -o FILE
const string Usage = """
    usage: datagen movies|series (--size SIZE | --rows N) [--seed N] [--crlf] [--bom] [--no-final-newline] [--quoted] -o FILE
      SIZE: bytes, or with a suffix KB, MB, GB (powers of 1000) or KiB, MiB, GiB (powers of 1024); the file never exceeds it
      --quoted  comma-separated with every field but \N and numbers quoted (RFC 4180)
      -o -  writes to standard output
    """;

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}

try
{
    var dataset = args[0].ToLowerInvariant() switch
    {
        "movies" => Dataset.Movies,
        "series" => Dataset.Series,
        _ => throw new ArgumentException($"unknown dataset '{args[0]}' (movies or series)"),
    };
    SyntheticSize? size = null;
    int seed = 1;
    string? output = null;
    var options = SyntheticOptions.Default;
    for (int i = 1; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        switch (args[i])
        {
            case "--size": size = SyntheticSize.Bytes(ParseSize(Value())); break;
            case "--rows": size = SyntheticSize.Rows(long.Parse(Value(), CultureInfo.InvariantCulture)); break;
            case "--seed": seed = int.Parse(Value(), CultureInfo.InvariantCulture); break;
            case "--crlf": options = options with { Crlf = true }; break;
            case "--bom": options = options with { Bom = true }; break;
            case "--no-final-newline": options = options with { FinalNewline = false }; break;
            case "--quoted": options = options with { Quoted = true }; break;
            case "-o" or "--output": output = Value(); break;
            default: throw new ArgumentException($"unknown option '{args[i]}'");
        }
    }
    if (size is null || output is null)
        throw new ArgumentException("--size or --rows, and -o, are required");

    var clock = Stopwatch.StartNew();
    SyntheticFileInfo info;
    if (output == "-")
    {
        using var stdout = Console.OpenStandardOutput();
        info = SyntheticCsv.Write(stdout, dataset, size.Value, seed, options);
    }
    else
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(output));
        if (folder is not null)
            Directory.CreateDirectory(folder);
        using var file = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        info = SyntheticCsv.Write(file, dataset, size.Value, seed, options);
    }
    double seconds = clock.Elapsed.TotalSeconds;
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"datagen: {dataset} seed {seed}: {info.Rows:N0} rows, {info.Bytes:N0} bytes in {seconds:F1} s ({info.Bytes / seconds / 1e6:F0} MB/s) -> {output}"));
    return 0;
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"datagen: {e.Message}");
    Console.Error.WriteLine(Usage);
    return 2;
}

static long ParseSize(string text)
{
    (string suffix, long factor)[] units =
    [
        ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30),
        ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("B", 1),
    ];
    foreach (var (suffix, factor) in units)
    {
        if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            return checked((long)(double.Parse(text[..^suffix.Length], CultureInfo.InvariantCulture) * factor));
    }
    return long.Parse(text, CultureInfo.InvariantCulture);
}
