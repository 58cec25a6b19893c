using YamlDotNet.RepresentationModel;

namespace IngestLambda.Tests.Template;

/// <summary>
/// A CloudFormation/SAM template read as plain data: mappings become dictionaries, sequences lists, scalars
/// strings. Short-form tags (<c>!Ref</c>, <c>!Sub</c>, <c>!GetAtt A.B</c>, ...) become their long form
/// (<c>{"Ref": ...}</c>, <c>{"Fn::Sub": ...}</c>, <c>{"Fn::GetAtt": ["A", "B"]}</c>), so the tests see one shape.
/// </summary>
internal sealed class CfnTemplate
{
    private CfnTemplate(Dictionary<string, object?> root) => Root = root;

    public Dictionary<string, object?> Root { get; }

    public Dictionary<string, object?> Resources => Map(Root["Resources"]);

    public Dictionary<string, object?> Parameters => Map(Root["Parameters"]);

    public Dictionary<string, object?> Outputs => Map(Root["Outputs"]);

    public Dictionary<string, object?> Resource(string logicalId) => Map(Resources[logicalId]);

    public Dictionary<string, object?> Properties(string logicalId) => Map(Resource(logicalId)["Properties"]);

    public static CfnTemplate Load(string path)
    {
        using var reader = new StreamReader(path);
        return Read(reader);
    }

    /// <summary>A template held in a string (one the generator wrote in memory).</summary>
    public static CfnTemplate Parse(string yaml)
    {
        using var reader = new StringReader(yaml);
        return Read(reader);
    }

    private static CfnTemplate Read(TextReader reader)
    {
        var stream = new YamlStream();
        stream.Load(reader);
        return new CfnTemplate(Map(Convert(stream.Documents[0].RootNode)));
    }

    public static Dictionary<string, object?> Map(object? node) =>
        node as Dictionary<string, object?> ?? throw new InvalidOperationException($"Expected a mapping, got {Describe(node)}.");

    public static List<object?> List(object? node) =>
        node as List<object?> ?? throw new InvalidOperationException($"Expected a sequence, got {Describe(node)}.");

    /// <summary>A value that may be written as one item or a list of items (IAM's Action and Resource).</summary>
    public static List<object?> OneOrMany(object? node) => node as List<object?> ?? [node];

    public static string Describe(object? node) => node switch
    {
        null => "null",
        string s => $"'{s}'",
        _ => node.GetType().Name,
    };

    private static object? Convert(YamlNode node)
    {
        object? value = node switch
        {
            YamlScalarNode scalar => scalar.Value,
            YamlSequenceNode sequence => sequence.Children.Select(Convert).ToList(),
            YamlMappingNode mapping => mapping.Children.ToDictionary(
                pair => ((YamlScalarNode)pair.Key).Value ?? "", pair => Convert(pair.Value), StringComparer.Ordinal),
            _ => throw new InvalidOperationException($"Unsupported YAML node {node.NodeType} at {node.Start}."),
        };

        if (node.Tag.IsEmpty || !node.Tag.Value.StartsWith('!'))
            return value;

        var name = node.Tag.Value[1..];
        return name switch
        {
            "Ref" or "Condition" => new Dictionary<string, object?> { [name] = value },
            // The short form of GetAtt is "Resource.Attribute" (the attribute itself may contain dots).
            "GetAtt" when value is string dotted => new Dictionary<string, object?>
            {
                ["Fn::GetAtt"] = new List<object?> { dotted[..dotted.IndexOf('.')], dotted[(dotted.IndexOf('.') + 1)..] },
            },
            _ => new Dictionary<string, object?> { ["Fn::" + name] = value },
        };
    }
}
