namespace ThreatLedger.Storage.Tests;

public sealed class TextFoldingTests
{
    [Theory]
    [InlineData("APT40", "apt40")]
    [InlineData("ＡＰＴ４０", "apt40")]
    [InlineData("Ｇ００６５！", "g0065!")]
    [InlineData("ｻﾝﾌﾟﾙ", "サンプル")]
    [InlineData("ｶﾞｷﾞｸﾞｹﾞｺﾞ", "ガギグゲゴ")]
    [InlineData("ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ", "パピプペポ")]
    [InlineData("ﾂﾞﾃﾞﾄﾞｳﾞ", "ヅデドヴ")]
    [InlineData("ｱﾞ", "ア゛")]
    [InlineData("ｧｨｩｪｫｯｬｭｮｰ｡｢｣､･ｦﾝ", "ァィゥェォッャュョー。「」、・ヲン")]
    [InlineData("  Cobalt\u3000\u3000Strike\t\nBeacon  ", "cobalt strike beacon")]
    [InlineData("中国国家安全部", "中国国家安全部")]
    [InlineData("", "")]
    public void Fold_FoldsCaseWidthAndSpace(string text, string expected) => Assert.Equal(expected, TextFolding.Fold(text));

    [Fact]
    public void Fold_Null_IsNull() => Assert.Null(TextFolding.Fold(null));

    [Fact]
    public void Words_SplitsTheFoldedQuery() =>
        Assert.Equal(["apt40", "国家安全部", "g0065"], TextFolding.Words("ＡＰＴ４０\u3000国家安全部  G0065 "));

    [Theory]
    [InlineData("\"cobalt strike\" beacon", "cobalt strike|beacon")]
    [InlineData("beacon \"Cobalt\u3000  Strike\"", "beacon|cobalt strike")]
    [InlineData("\"APT40", "apt40")]
    [InlineData("APT40\"", "apt40")]
    [InlineData("\"APT 40", "apt 40")]
    [InlineData("a\"b c\"d", "a|b c|d")]
    [InlineData("＂ＡＰＴ４０＂", "apt40")]
    [InlineData("\"", "")]
    [InlineData("\"\"", "")]
    [InlineData(" \" \" ", "")]
    [InlineData("\"\"\"", "")]
    public void Words_QuotesMakePhrases_AnUnbalancedQuoteRunsToTheEnd(string query, string expected) =>
        Assert.Equal(expected.Split('|', StringSplitOptions.RemoveEmptyEntries), TextFolding.Words(query));
}
