namespace IngestLambda.Core.Validation;

/// <summary>One problem in a file, located exactly.</summary>
/// <param name="Line">1-based line number (the header is line 1); 0 for whole-file errors.</param>
/// <param name="Column">The column name for field errors; empty for line- and file-level errors.</param>
/// <param name="ByteOffset">0-based offset in the file of the offending field or byte.</param>
/// <param name="Code">One of <see cref="ErrorCodes"/>.</param>
/// <param name="Message">A short sentence a person can act on.</param>
/// <param name="Excerpt">The offending text, shortened and with control characters escaped.</param>
public sealed record ValidationError(long Line, string Column, long ByteOffset, string Code, string Message, string Excerpt);
