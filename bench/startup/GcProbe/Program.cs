using System.Globalization;
using System.Runtime;

// usage: GcProbe [HEAP_LIMIT_MB]  — with an argument, sets GCHeapHardLimit at run time the way Runtime/MemoryLimit.cs
// does; then reports the GC's view and allocates 1 MB arrays until OutOfMemoryException (or 2 GB).
if (args.Length > 0)
{
    AppContext.SetData("GCHeapHardLimit", ulong.Parse(args[0], CultureInfo.InvariantCulture) * 1024 * 1024);
    GC.RefreshMemoryLimit();
}

var info = GC.GetGCMemoryInfo();
Console.WriteLine(
    $"server GC={GCSettings.IsServerGC}, latency mode={GCSettings.LatencyMode}, " +
    $"GC's available memory={info.TotalAvailableMemoryBytes / 1048576} MB");

var held = new List<byte[]>();
try
{
    for (var i = 0; i < 2048; i++)
        held.Add(new byte[1024 * 1024]);
    Console.WriteLine($"allocated {held.Count} MB without hitting a limit");
}
catch (OutOfMemoryException)
{
    Console.WriteLine($"OutOfMemoryException after {held.Count} MB");
}
