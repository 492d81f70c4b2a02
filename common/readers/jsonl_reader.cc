// JSON Lines and the object-to-Article mapping shared with the JSON array reader.
#include <simdjson.h>

#include <istream>

#include "common/readers/field_map.h"
#include "common/readers/json_object_fields.h"
#include "common/readers/reader_support.h"
#include "common/readers/readers.h"
#include "common/text/text.h"

namespace warsearch {
namespace {

std::string scalar_text(simdjson::dom::element v) {
    using simdjson::dom::element_type;
    switch (v.type()) {
        case element_type::STRING:
            return std::string(std::string_view(v));
        case element_type::INT64:
            return std::to_string(int64_t(v));
        case element_type::UINT64:
            return std::to_string(uint64_t(v));
        case element_type::DOUBLE: {
            std::string s = simdjson::minify(v);
            return s;
        }
        case element_type::BOOL:
            return bool(v) ? "true" : "false";
        case element_type::ARRAY: {
            // A list of strings (authors, places) becomes "a, b".
            std::string joined;
            for (simdjson::dom::element item : simdjson::dom::array(v)) {
                if (item.type() != element_type::STRING) continue;
                if (!joined.empty()) joined += ", ";
                joined += std::string(std::string_view(item));
            }
            return joined;
        }
        default:
            return {};
    }
}

}  // namespace

namespace detail {

RecordFields json_object_fields(simdjson::dom::object obj) {
    RecordFields values;
    for (auto field : obj) {
        if (field.value.type() == simdjson::dom::element_type::OBJECT) continue;
        values[std::string(field.key)] = scalar_text(field.value);
    }
    return values;
}

}  // namespace detail

std::string article_from_json(std::string_view json, const ReadOptions& options, Article& out,
                              std::vector<std::string>& warnings) {
    thread_local simdjson::dom::parser parser;
    simdjson::dom::element doc;
    auto error = parser.parse(json.data(), json.size()).get(doc);
    if (error) return std::string("invalid JSON: ") + simdjson::error_message(error);
    if (doc.type() != simdjson::dom::element_type::OBJECT) return "not a JSON object";
    return article_from_record(detail::json_object_fields(simdjson::dom::object(doc)), options, out, warnings);
}

void read_jsonl(std::istream& in, const std::string& path, const ReadOptions& options, const ReadSink& sink) {
    std::string line;
    std::uint64_t line_no = 0, record = 0, length = 0;
    while (detail::read_bounded_line(in, line, options.max_record_bytes, length)) {
        ++line_no;
        if (line_no == 1 && line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        ++record;
        Provenance from{path, line_no, record};
        if (length > options.max_record_bytes) {
            sink.failure({from.where(), "line of " + std::to_string(length) + " bytes is over the " +
                                            std::to_string(options.max_record_bytes) + "-byte record limit, skipped"});
            continue;
        }
        std::vector<std::string> warnings;
        Article a;
        std::string decoded_warning;
        if (!is_valid_utf8(line)) line = detail::to_utf8(line, decoded_warning);
        std::string reason = article_from_json(line, options, a, warnings);
        if (!reason.empty()) {
            sink.failure({from.where(), reason});
            continue;
        }
        if (!decoded_warning.empty()) warnings.push_back(decoded_warning);
        for (auto& w : warnings)
            if (sink.warning) sink.warning({from.where(), w});
        a.from = from;
        detail::emit(std::move(a), {}, options, sink);
    }
}

}  // namespace warsearch
