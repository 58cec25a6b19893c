using System.Text.RegularExpressions;

namespace IngestLambda.Tests.Template;

/// <summary>
/// Resolves the intrinsic functions the template uses (Ref, Sub, If, Select, Split, Join, GetAtt, Not, Equals)
/// the way CloudFormation would for one set of parameter values, so tests can check the concrete ARNs, prefixes
/// and names a deployment would get. A reference to a resource resolves to the marker <c>&lt;res:Id&gt;</c> or
/// <c>&lt;res:Id.Attribute&gt;</c>, which keeps such references visible in the result.
/// </summary>
internal sealed partial class CfnEvaluator
{
    public const string AccountId = "123456789012";
    public const string StackUuid = "1b2c3d4e-5f60-11ef-9a2b-0a1b2c3d4e5f";

    private readonly CfnTemplate _template;
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public CfnEvaluator(CfnTemplate template, IReadOnlyDictionary<string, string>? overrides = null,
        string region = "us-east-1", string stackName = "ingest-lambda")
    {
        _template = template;
        foreach (var (name, definition) in template.Parameters)
        {
            var parameter = CfnTemplate.Map(definition);
            _values[name] = parameter.TryGetValue("Default", out var value) ? (string?)value ?? "" : "";
        }
        foreach (var (name, value) in overrides ?? new Dictionary<string, string>())
        {
            if (!_values.ContainsKey(name))
                throw new ArgumentException($"The template has no parameter {name}.", nameof(overrides));
            _values[name] = value;
        }
        _values["AWS::AccountId"] = AccountId;
        _values["AWS::Region"] = region;
        _values["AWS::Partition"] = "aws";
        _values["AWS::URLSuffix"] = "amazonaws.com";
        _values["AWS::StackName"] = stackName;
        _values["AWS::StackId"] = $"arn:aws:cloudformation:{region}:{AccountId}:stack/{stackName}/{StackUuid}";
    }

    public string Parameter(string name) => _values[name];

    /// <summary>Evaluates a node that must come out as one string.</summary>
    public string String(object? node) =>
        Evaluate(node) as string ?? throw new InvalidOperationException($"Expected a string from {CfnTemplate.Describe(node)}.");

    /// <summary>Evaluates a node that may be one string or a list of strings (IAM's Action and Resource).</summary>
    public List<string> Strings(object? node) => Evaluate(node) switch
    {
        string one => [one],
        List<object?> many => many.Select(item => item as string
            ?? throw new InvalidOperationException($"Expected strings, got {CfnTemplate.Describe(item)}.")).ToList(),
        var other => throw new InvalidOperationException($"Expected strings, got {CfnTemplate.Describe(other)}."),
    };

    public bool Condition(string name) =>
        EvaluateCondition(CfnTemplate.Map(_template.Root["Conditions"])[name]);

    public object? Evaluate(object? node)
    {
        switch (node)
        {
            case List<object?> list:
                return list.Select(Evaluate).ToList();
            case Dictionary<string, object?> map when map.Count == 1 && IsIntrinsic(map.Keys.First()):
                var (function, argument) = map.First();
                return EvaluateIntrinsic(function, argument);
            case Dictionary<string, object?> map:
                return map.ToDictionary(pair => pair.Key, pair => Evaluate(pair.Value), StringComparer.Ordinal);
            default:
                return node;
        }
    }

    private static bool IsIntrinsic(string key) => key == "Ref" || key.StartsWith("Fn::", StringComparison.Ordinal);

    private object? EvaluateIntrinsic(string function, object? argument)
    {
        switch (function)
        {
            case "Ref":
                var name = (string)argument!;
                return _values.TryGetValue(name, out var value) ? value : ResourceMarker(name);
            case "Fn::GetAtt":
                var parts = CfnTemplate.List(argument);
                return ResourceMarker($"{parts[0]}.{parts[1]}");
            case "Fn::Sub":
                return argument is string text
                    ? Substitute(text, new Dictionary<string, string>())
                    : Substitute((string)CfnTemplate.List(argument)[0]!,
                        CfnTemplate.Map(CfnTemplate.List(argument)[1]).ToDictionary(pair => pair.Key, pair => String(pair.Value)));
            case "Fn::If":
                var branches = CfnTemplate.List(argument);
                return Evaluate(Condition((string)branches[0]!) ? branches[1] : branches[2]);
            case "Fn::Select":
                var select = CfnTemplate.List(argument);
                var items = CfnTemplate.List(Evaluate(select[1]));
                return items[int.Parse(String(select[0]))];
            case "Fn::Split":
                var split = CfnTemplate.List(argument);
                return String(split[1]).Split((string)split[0]!).Cast<object?>().ToList();
            case "Fn::Join":
                var join = CfnTemplate.List(argument);
                return string.Join((string)join[0]!, Strings(join[1]));
            default:
                throw new NotSupportedException($"The test evaluator does not know {function}.");
        }
    }

    private bool EvaluateCondition(object? node)
    {
        var (function, argument) = CfnTemplate.Map(node).First();
        var arguments = argument as List<object?>;
        return function switch
        {
            "Fn::Equals" => String(arguments![0]) == String(arguments[1]),
            "Fn::Not" => !EvaluateCondition(arguments![0]),
            "Fn::And" => arguments!.All(EvaluateCondition),
            "Fn::Or" => arguments!.Any(EvaluateCondition),
            "Condition" => Condition((string)argument!),
            _ => throw new NotSupportedException($"The test evaluator does not know the condition {function}."),
        };
    }

    private string Substitute(string text, Dictionary<string, string> variables) =>
        SubVariable().Replace(text, match =>
        {
            var name = match.Groups[1].Value;
            if (name.StartsWith('!'))
                return "${" + name[1..] + "}";
            if (variables.TryGetValue(name, out var variable))
                return variable;
            return _values.TryGetValue(name, out var value) ? value : ResourceMarker(name);
        });

    private string ResourceMarker(string reference)
    {
        var logicalId = reference.Split('.')[0];
        if (!_template.Resources.ContainsKey(logicalId))
            throw new InvalidOperationException($"Reference to unknown parameter or resource '{reference}'.");
        return $"<res:{reference}>";
    }

    [GeneratedRegex(@"\$\{([^}]+)\}")]
    private static partial Regex SubVariable();
}
