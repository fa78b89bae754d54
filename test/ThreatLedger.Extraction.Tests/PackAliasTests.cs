namespace ThreatLedger.Extraction.Tests;

/// <summary>
/// Reports that name a pack group the way another vendor or the Japanese press does (starter pack
/// part 4): the gazetteer built from a store holding the pack links the mention to the pack's group.
/// Short invented texts.
/// </summary>
public sealed class PackAliasTests : PackStoreTests
{
    [Theory]
    [InlineData("Microsoft said Midnight Blizzard had read the mailboxes of senior staff.", "APT29", "Midnight Blizzard")]
    [InlineData("The wiper was deployed by Seashell Blizzard against the grid operator.", "Sandworm Team", "Seashell Blizzard")]
    [InlineData("Researchers tied the lures to Forest Blizzard.", "APT28", "Forest Blizzard")]
    [InlineData("Silk Typhoon went after remote management tools this spring.", "HAFNIUM", "Silk Typhoon")]
    [InlineData("中国系ハッカー集団「ボルト・タイフーン」が重要インフラに潜伏していた。", "Volt Typhoon", "ボルト・タイフーン")]
    [InlineData("警察庁は、ミラーフェイスによる標的型メールに注意を呼びかけた。", "MirrorFace", "ミラーフェイス")]
    [InlineData("流出は北朝鮮の攻撃グループ「トレイダートレイター」によるものと特定された。", "TraderTraitor", "トレイダートレイター")]
    [InlineData("ロシア軍参謀本部情報総局の部隊とされる集団が関与した。", "Main Directorate of the General Staff of the Russian Armed Forces", "ロシア軍参謀本部情報総局")]
    public async Task AMentionUnderAPart4Name_IsThePacksObject(string text, string value, string written)
    {
        var found = await ExtractWithPackAsync(text, new DateOnly(2025, 1, 10));

        var actor = Assert.Single(found, e => e.Kind is "threat-actor" or "organization" && (string)e.Value == value);
        Assert.Equal(written, actor.Text);
        Assert.NotNull(actor.Id);
    }

    [Fact]
    public async Task TheOldNamesStillMatch_AndCommonWordsWereNotAdded()
    {
        // Microsoft's older element name for Lazarus is an ordinary word: part 4 leaves it out.
        var found = await ExtractWithPackAsync("Zinc prices rose after the smelter closed; Lazarus was not involved.", new DateOnly(2025, 1, 10));

        var actor = Assert.Single(found, e => e.Kind == "threat-actor");
        Assert.Equal(("Lazarus Group", "Lazarus"), ((string)actor.Value, actor.Text));
    }
}
