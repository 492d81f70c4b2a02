// Datelines at the start of a story, in the forms wires, press offices and FBIS use,
// and openings that are not datelines.  Every text here is fictional.
#include "common/readers/dateline.h"

#include <gtest/gtest.h>

#include "readers_test_support.h"

using namespace warsearch;

TEST(ReadersDateline, FormsFound) {
    struct Case {
        const char* text;
        const char* place;
        const char* prefix;  // the dateline as it stands in the text
    };
    const Case cases[] = {
        {"KABUL, Afghanistan (Jan. 25, 2013) \xE2\x80\x93 Afghan and coalition forces detained two suspects in "
         "Kandahar province.",
         "Kabul", "KABUL, Afghanistan (Jan. 25, 2013) \xE2\x80\x93 "},
        {"BEIRUT (Reuters) - Government forces shelled rebel-held districts of a town near Homs on Tuesday.", "Beirut",
         "BEIRUT (Reuters) - "},
        {"MOSCOW, March 3 (AP) \xE2\x80\x94 The defence ministry said on Friday that its forces had advanced.",
         "Moscow", "MOSCOW, March 3 (AP) \xE2\x80\x94 "},
        {"SAN SALVADOR, 3 JAN 90 -- [REPORT] [TEXT] THE ARMED FORCES REPORTED THAT A PATROL CLASHED WITH REBELS.",
         "San Salvador", "SAN SALVADOR, 3 JAN 90 -- "},
        {"RIO DE JANEIRO (BRAZIL), 22 DEC 88 (REDE\nGLOBO) -- [TEXT] POLICE SAID THE BOMB WAS FOUND AT DAWN.",
         "Rio de Janeiro", "RIO DE JANEIRO (BRAZIL), 22 DEC 88 (REDE\nGLOBO) -- "},
        {"NO CITY (EL SALVADOR), 5 JAN 90 (RADIO VENCEREMOS) -- [TEXT] OUR UNITS ATTACKED A GARRISON TODAY.",
         "El Salvador", "NO CITY (EL SALVADOR), 5 JAN 90 (RADIO VENCEREMOS) -- "},
        {"DAMASCUS, Syria, Aug 5 (Reuters) - The army said it had retaken two villages north of the city.", "Damascus",
         "DAMASCUS, Syria, Aug 5 (Reuters) - "},
        {"Atlanta, United States (CNN)- The United States has seen signs that supplies are being moved.", "Atlanta",
         "Atlanta, United States (CNN)- "},
        {"HELSINKI \xE2\x80\x94 Proposals for a ceasefire were met with scepticism by officials in the region.",
         "Helsinki", "HELSINKI \xE2\x80\x94 "},
        {"Kyiv, Ukraine CNN \xE2\x80\x94 Ukrainian forces said on Monday that they had pushed back an assault.", "Kyiv",
         "Kyiv, Ukraine CNN \xE2\x80\x94 "},
        {"GAZA CITY, Nov 3 (Reuters) \xE2\x80\x93 Residents said strikes hit a street near the port overnight.",
         "Gaza City", "GAZA CITY, Nov 3 (Reuters) \xE2\x80\x93 "},
        {"DEIR EZ-ZOR, Syria (AFP) - Fighters of a tribal militia said they had taken a checkpoint.", "Deir Ez-Zor",
         "DEIR EZ-ZOR, Syria (AFP) - "},
        {"SAN SALVADOR, 17 NOV 89 (INTERPRESS AGENCY [IPS]) -- [TEXT] THE PARTIES PROPOSED A NEW JUNTA.",
         "San Salvador", "SAN SALVADOR, 17 NOV 89 (INTERPRESS AGENCY [IPS]) -- "},
        {"Subscribe to our channel\n\nMINSK, 26 April (BelTA) - The ministry said the exercises would end on Friday.",
         "Minsk", "MINSK, 26 April (BelTA) - "},
    };
    for (const auto& k : cases) {
        auto d = find_dateline(k.text);
        ASSERT_TRUE(d) << k.text;
        EXPECT_EQ(d->place, k.place) << k.text;
        EXPECT_EQ(std::string_view(k.text).substr(d->offset, d->length), k.prefix) << k.text;
    }
}

TEST(ReadersDateline, NotDatelines) {
    const char* cases[] = {
        "WASHINGTON said on Tuesday that it would send more troops to the region.",
        "President Assad - who spoke on state television - said the army would advance.",
        "Kyiv - Ukrainian forces said they had repelled an attack near the border.",
        "CNN \xE2\x80\x94 President Putin has ordered drills near the border, officials said.",
        "UPDATE - The ministry revised its figures for the number of people displaced.",
        "NATO - The alliance said its members would meet again next week in Brussels.",
        "U.S. DIVIDEND MEETINGS - MARCH 3\nAcme Corp\nExample Holdings",
        "TOKYO RUBBER (YEN PER KILO) - APRIL 07\n PREV OPG 1045 1345",
        "NYSE INDICATION - EXAMPLE SHIPYARDS CORP <EXS>, 16-1/4 TO 17-1/2",
        "CLANDESTINE, 8 JAN 90 (RADIO VENCEREMOS) -- [TEXT] OUR UNITS ATTACKED A GARRISON TODAY.",
        "Moscow, Tehran and Ankara agreed - at least on paper - to a new round of talks.",
        "15 March 2011 - Protests break out in Daraa after teenagers are detained.",
        "(Reuters) - Hamas said on Saturday that talks had stalled.",
        "The fighting in Bakhmut, Donetsk (Reuters) - continued overnight, officials said.",
        "Pinskie swamps, Kharkiv, the Black Sea - this is one of the key places in a war.",
        "",
    };
    for (const char* text : cases) EXPECT_FALSE(find_dateline(text)) << text;
}

// Every reader sets the dateline from the body's opening (JSON Lines here), keeps the
// body whole and says where the dateline sits in it.
TEST(ReadersDateline, SetByEveryReaderAndKeptInTheBody) {
    warsearch::testing::TempDir dir;
    std::string path = (dir.path / "wire.jsonl").string();
    std::ofstream(path) << R"({"id":"w1","title":"Strikes near Idlib","body":"IDLIB, Syria, May 2 (Example Wire) - )"
                        << R"(Air strikes hit a market in the fictional town of Example on Thursday."})"
                        << "\n"
                        << R"({"id":"w2","title":"No dateline","body":"WASHINGTON said it would act."})"
                        << "\n";
    warsearch::testing::Collected c = warsearch::testing::read(path);
    ASSERT_EQ(c.articles.size(), 2u) << c.failure_text();
    const Article& a = c.articles[0];
    EXPECT_EQ(a.dateline, "Idlib");
    EXPECT_EQ(a.body.rfind("IDLIB, Syria, May 2 (Example Wire) - Air strikes", 0), 0u) << a.body;
    EXPECT_EQ(a.dateline_offset, 0u);
    EXPECT_EQ(a.body.substr(a.dateline_length, 10), "Air strike");
    EXPECT_EQ(c.articles[1].dateline, "");
    EXPECT_EQ(c.articles[1].dateline_length, 0u);
}
