using System.Net;
using System.Net.Sockets;

namespace IngestLambda.Tests.Infrastructure;

/// <summary>What the tests ask of this machine: a free loopback port, a program on PATH.</summary>
public static class LocalMachine
{
    /// <summary>A loopback port no one listens on right now (the OS picks it).</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The full path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
