using IngestLambda.Fuzz;
using SharpFuzz;

// Under afl-fuzz (bench/IngestLambda.Fuzz/fuzz.sh): one input per run through SharpFuzz's out-of-process loop.
// `replay FILE...`: run inputs (say, afl's crashes) outside afl and print what each breaks.
// `seeds DIR`: write the starting corpus.
if (args is ["replay", .. var files])
{
    var failed = 0;
    foreach (var file in files)
    {
        try
        {
            FuzzTarget.Check(File.ReadAllBytes(file));
            Console.WriteLine($"ok      {file}");
        }
#pragma warning disable CA1031 // every failure of an input is reported, whatever its type
        catch (Exception e)
#pragma warning restore CA1031
        {
            failed++;
            Console.WriteLine($"FAILED  {file}: {e.GetType().Name}: {e.Message}");
        }
    }
    return failed == 0 ? 0 : 1;
}

if (args is ["seeds", var directory])
{
    Seeds.Write(directory);
    return 0;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    FuzzTarget.Check(buffer.ToArray());
});
return 0;
