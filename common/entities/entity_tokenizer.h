// The tokenizer behind catalog names and entity extraction: one function turns both an
// alias ("Jabhat al-Nusra") and running text ("... fighters of al Nusra's ...") into the
// same normalised tokens, so matching is a plain comparison of token sequences.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace warsearch {

/// One word of text, normalised for matching names.
struct EntityToken {
    /// Folded (fold_for_matching), lower-cased, apostrophes removed ("Dar'a" -> "dara"),
    /// a possessive "'s" dropped; Arabic tokens lose a leading definite article "ال".
    std::string norm;
    std::uint32_t begin = 0;  ///< byte offset of the word in the source text
    std::uint32_t end = 0;    ///< one past its last byte
    /// Where a mention starting at this token begins: before a dropped article
    /// ("al-" of "al-Nusra"), otherwise begin.
    std::uint32_t mention_begin = 0;
    bool capitalised = false;   ///< first letter is upper case in the source
    bool break_before = false;  ///< punctuation or a segment start precedes the token
    bool arabic = false;        ///< the token is in Arabic script (clitics may apply)
};

/// Appends the tokens of @a text to @a out.  Words are runs of letters, digits and
/// combining marks; a hyphen separates words but does not break a name; other
/// punctuation sets break_before on the next token (not a dot inside an initialism: "U.S.",
/// "U.N." are one name).  Arabic-transliteration articles are
/// dropped: "al"/"el" always, and "ar-", "as-", "ad-", "an-", "ash-", "at-", "az-",
/// "ez-", "es-", "ed-", "en-", "er-", "et-" when joined to the next word by a hyphen, so
/// "al-Nusra", "al Nusra" and "Nusra" give the same tokens.  The first token appended
/// gets break_before, so separately tokenized fields never match across each other.
/// Never throws on bad UTF-8 (invalid bytes separate words).
void tokenize_for_entities(std::string_view text, std::vector<EntityToken>& out);

/// The normalised form of a name: its tokens' norms joined by single spaces; "" when the
/// name has no word characters.  normalise_name("Jabhat al-Nusra") == "jabhat nusra".
std::string normalise_name(std::string_view name);

/// The forms an Arabic token may take once its proclitics are removed: the conjunctions
/// و and ف, then the prepositions ب, ل, ك, then the article (ال, or the ل of لل).
/// "والرقة" -> {"رقه"}.  The token's own form is not repeated; empty for other scripts.
std::vector<std::string> arabic_clitic_variants(std::string_view norm);

}  // namespace warsearch
