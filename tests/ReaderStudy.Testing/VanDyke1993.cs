using System.Globalization;
using System.Text;

namespace ReaderStudy.Testing;

/// <summary>
/// Van Dyke CW et al. (1993), cine MRI (treatment 1) vs single spin-echo MRI (treatment 2) for thoracic aortic
/// dissection: 5 radiologists rated 114 cases (69 without, 45 with dissection) on a 1-5 scale. The ratings are those
/// of RJafroc's dataset02 (file inst/MRMCRuns/VD/VD.lrc of github.com/dpc10ster/RJafroc, LABMRMC format; its
/// treatments "0" and "1" are 1 and 2 here). The Iowa OR-DBM MRMC 2.51 output on this file, which the tests
/// reproduce, is RJafroc's inst/IowaResults/VanDyke.txt.
/// </summary>
public static class VanDyke1993
{
    // Per reader: treatment 1 then 2 for the 69 non-diseased cases, then treatment 1 then 2 for the 45 diseased ones.
    private static readonly string[][] Ratings =
    [
        [
            "122151111111411111111131311214111113121211233131133111111221111332111",
            "333222223213122222211111421312214323123122233111333113412421241442111",
            "555545554555434245555555154454553555115554451",
            "535555554555544335555555355355554455535555551",
        ],
        [
            "232222222322522232222222422223222222222222222222222222222432232222222",
            "322222223222222122221222322222212212222231223222222222322322222222122",
            "535555542555442225555555243354552425225555352",
            "535555552555344245455545252355532425525555552",
        ],
        [
            "222235112242422232221232411322112224121412112222223211211221151421212",
            "242222322211132222121121411512112122212221132111233113221232341242121",
            "545555555555542355555555252255552555225555552",
            "525555555555354145555555253355543555534555551",
        ],
        [
            "111111311111111111112111211112111111111111111111331111111111111311111",
            "221111312111122111211111321212111122112111112121212211111212111323211",
            "555555555555555155555555554544553555125555555",
            "545555554555455555555555455445555555535555555",
        ],
        [
            "351211112221211122113221111211211231221113332111211111111341231212113",
            "223122221222111222122212322321212222112121132122332122221222231233111",
            "525255551545452235555554144322151515115553552",
            "525455555455343335555555251332532545533555553",
        ],
    ];

    public const int Readers = 5;
    public const int Negatives = 69;
    public const int Positives = 45;

    /// <summary>Every rating as (reader, modality, case, truth 0/1, rating), the long layout RJafroc and iMRMC users export.</summary>
    public static IEnumerable<(string Reader, string Modality, string Case, int Truth, int Rating)> Rows()
    {
        for (var reader = 0; reader < Readers; reader++)
        {
            for (var modality = 0; modality < 2; modality++)
            {
                var negatives = Ratings[reader][modality];
                var positives = Ratings[reader][2 + modality];
                for (var k = 0; k < Negatives; k++)
                {
                    yield return ($"reader{reader + 1}", $"{modality + 1}", $"n{k + 1:00}", 0, negatives[k] - '0');
                }
                for (var k = 0; k < Positives; k++)
                {
                    yield return ($"reader{reader + 1}", $"{modality + 1}", $"p{k + 1:00}", 1, positives[k] - '0');
                }
            }
        }
    }

    /// <summary>The rows as a CSV with the header reader,modality,case,truth,rating.</summary>
    public static string Csv()
    {
        var csv = new StringBuilder("reader,modality,case,truth,rating\n");
        foreach (var (reader, modality, @case, truth, rating) in Rows())
        {
            csv.Append(CultureInfo.InvariantCulture, $"{reader},{modality},{@case},{truth},{rating}\n");
        }
        return csv.ToString();
    }
}
