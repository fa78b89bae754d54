#:property TreatWarningsAsErrors=false
#:property EnforceCodeStyleInBuild=false
#:property AnalysisLevel=none
#:property NoWarn=CS0649
// Prototype measurement for ADR 0001's addendum, not product code: how fast can a "lazy" read pass be
// (find each object, look each property name up, record value offsets, allocate one object and one
// slot table per STIX object, no validation) compared with the bare Utf8JsonReader token scan?
// Run from the repository root: dotnet run -c Release bench/prototypes/lazy-read-pass.cs [path-to-enterprise-attack.json.gz]
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

string path = args.Length > 0 ? args[0] : "../shared/data/attack/enterprise-attack.json.gz";
var buffer = new MemoryStream();
using (var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress))
{
    gz.CopyTo(buffer);
}

byte[] bytes = buffer.ToArray();
var names = new Dictionary<string, int>(StringComparer.Ordinal);
foreach (var n in "type spec_version id created_by_ref created modified revoked labels confidence lang external_references object_marking_refs granular_markings extensions name description aliases kill_chain_phases relationship_type source_ref target_ref start_time stop_time is_family first_seen last_seen".Split(' '))
{
    names[n] = names.Count;
}

var lookup = names.GetAlternateLookup<ReadOnlySpan<char>>();
var shared = new Slots { Values = new int[32] };

long Scan()
{
    var r = new Utf8JsonReader(bytes);
    long t = 0;
    while (r.Read())
    {
        t += r.ValueSpan.Length;
    }

    return t;
}

List<Slots> Pass(bool allocate, bool lookUp)
{
    var list = new List<Slots>();
    var r = new Utf8JsonReader(bytes);
    Span<char> chars = stackalloc char[64];
    r.Read();
    while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
    {
        if (!r.ValueTextEquals("objects"u8))
        {
            r.Read();
            r.Skip();
            continue;
        }

        r.Read();
        while (r.Read() && r.TokenType == JsonTokenType.StartObject)
        {
            var o = allocate ? new Slots { Values = new int[32] } : shared;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                int idx = 0;
                bool known = true;
                if (lookUp)
                {
                    int n = Encoding.UTF8.GetChars(r.ValueSpan, chars);
                    known = lookup.TryGetValue(chars[..n], out idx);
                }

                r.Read();
                int start = (int)r.TokenStartIndex;
                if (r.TokenType != JsonTokenType.String)
                {
                    r.Skip();
                }

                if (known)
                {
                    o.Values[idx] = start + 1;
                }
            }

            if (allocate)
            {
                list.Add(o);
            }
        }
    }

    return list;
}

Pass(true, true);
Scan();
foreach (var (allocate, lookUp) in new[] { (true, true), (true, false), (false, true), (false, false) })
{
    var pass = new List<double>();
    var scan = new List<double>();
    for (int i = 0; i < 7; i++)
    {
        var sw = Stopwatch.StartNew();
        GC.KeepAlive(Pass(allocate, lookUp));
        pass.Add(sw.Elapsed.TotalMilliseconds);
        sw.Restart();
        Scan();
        scan.Add(sw.Elapsed.TotalMilliseconds);
    }

    pass.Sort();
    scan.Sort();
    Console.WriteLine($"allocate={allocate,-5} lookup={lookUp,-5}: pass {pass[3]:F1} ms, scan {scan[3]:F1} ms, ratio {scan[3] / pass[3]:F2}");
}

sealed class Slots
{
    public int[] Values = [];
    public object? A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q, R, S, T;
}
