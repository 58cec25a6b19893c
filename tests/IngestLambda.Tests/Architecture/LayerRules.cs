using Mono.Cecil;
using Mono.Cecil.Cil;

namespace IngestLambda.Tests.Architecture;

/// <summary>
/// Reads a compiled assembly (IL, not source text, so fully qualified names and method bodies count too) and lists
/// every reference from one of its namespaces to another of its namespaces that sits in a higher layer, or in a
/// different namespace of the same layer. Layers are listed lowest first; a namespace belongs to the layer of the
/// longest prefix that names it.
/// </summary>
internal static class LayerRules
{
    /// <param name="generatedInto">
    /// Namespaces a source generator writes into the assembly, and the namespace whose code it is (the command-line
    /// parser ConsoleAppFramework generates is part of the command line): counted as that namespace.
    /// </param>
    public static IReadOnlyList<string> Violations(string assemblyPath, IReadOnlyList<string[]> layers,
        IReadOnlyDictionary<string, string>? generatedInto = null)
    {
        string Owner(string ns) => generatedInto is not null && generatedInto.TryGetValue(ns, out var owner) ? owner : ns;
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        // Our namespaces: those the layers name, and those generated into them; other generated code (the regex source
        // generator's, say) is no layer's and is left out.
        bool Ours(string ns) => Owner(ns) != ns || layers.Any(row => row.Any(p => ns == p || ns.StartsWith(p + ".", StringComparison.Ordinal)));
        var own = module.Types.Select(t => t.Namespace).Where(n => n.Length > 0 && Ours(n)).ToHashSet();
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in module.Types.Where(t => own.Contains(t.Namespace)))
        {
            var from = Owner(type.Namespace);
            var fromLayer = LayerOf(from, layers);
            foreach (var (target, where) in References(type))
            {
                var to = Outermost(target)?.Namespace;
                if (to is null || !own.Contains(to) || (to = Owner(to)) == from)
                    continue;
                var toLayer = LayerOf(to, layers);
                if (toLayer >= fromLayer)
                    found.Add($"{from} -> {to} ({type.Name}: {where})");
            }
        }
        return [.. found];
    }

    private static int LayerOf(string ns, IReadOnlyList<string[]> layers)
    {
        var (best, length) = (-1, -1);
        for (var i = 0; i < layers.Count; i++)
        {
            foreach (var prefix in layers[i])
            {
                if ((ns == prefix || ns.StartsWith(prefix + ".", StringComparison.Ordinal)) && prefix.Length > length)
                    (best, length) = (i, prefix.Length);
            }
        }
        return best >= 0 ? best : throw new InvalidOperationException($"Namespace {ns} is in no layer: add it to the layer list.");
    }

    private static TypeReference? Outermost(TypeReference? type)
    {
        while (type is TypeSpecification spec)
            type = spec.ElementType;
        while (type?.DeclaringType is not null)
            type = type.DeclaringType;
        return type;
    }

    /// <summary>Every type a type (with its nested, compiler-generated ones) names: signatures, attributes and IL.</summary>
    private static IEnumerable<(TypeReference Type, string Where)> References(TypeDefinition type)
    {
        if (type.BaseType is { } baseType)
            yield return (baseType, "base type");
        foreach (var face in type.Interfaces)
            yield return (face.InterfaceType, "interface");
        foreach (var attribute in type.CustomAttributes)
            yield return (attribute.AttributeType, "attribute");
        foreach (var field in type.Fields)
            foreach (var t in Expand(field.FieldType))
                yield return (t, $"field {field.Name}");
        foreach (var method in type.Methods)
        {
            foreach (var t in Expand(method.ReturnType))
                yield return (t, $"{method.Name} returns");
            foreach (var parameter in method.Parameters)
                foreach (var t in Expand(parameter.ParameterType))
                    yield return (t, $"{method.Name} parameter");
            if (!method.HasBody)
                continue;
            foreach (var variable in method.Body.Variables)
                foreach (var t in Expand(variable.VariableType))
                    yield return (t, $"{method.Name} local");
            foreach (var instruction in method.Body.Instructions)
            {
                foreach (var t in Operand(instruction))
                    yield return (t, $"{method.Name} body");
            }
        }
        foreach (var nested in type.NestedTypes)
            foreach (var reference in References(nested))
                yield return reference;
    }

    private static IEnumerable<TypeReference> Operand(Instruction instruction) => instruction.Operand switch
    {
        TypeReference t => Expand(t),
        MethodReference m => Expand(m.DeclaringType).Concat(Expand(m.ReturnType)).Concat(m.Parameters.SelectMany(p => Expand(p.ParameterType)))
            .Concat(m is GenericInstanceMethod g ? g.GenericArguments.SelectMany(Expand) : []),
        FieldReference f => Expand(f.DeclaringType).Concat(Expand(f.FieldType)),
        _ => [],
    };

    private static IEnumerable<TypeReference> Expand(TypeReference? type)
    {
        if (type is null)
            yield break;
        yield return type;
        if (type is GenericInstanceType generic)
        {
            foreach (var argument in generic.GenericArguments)
                foreach (var t in Expand(argument))
                    yield return t;
        }
        if (type is TypeSpecification spec)
            foreach (var t in Expand(spec.ElementType))
                yield return t;
    }
}
