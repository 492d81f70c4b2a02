// JSON documents: an array of article objects, one object, or an object holding such an
// array under a key ("articles", "items", ...).  Whole-file: read_file caps the size.
#include <simdjson.h>

#include <sstream>

#include "common/readers/field_map.h"
#include "common/readers/json_object_fields.h"
#include "common/readers/reader_support.h"
#include "common/readers/readers.h"

namespace warsearch {
namespace {

void read_object(simdjson::dom::object obj, const Provenance& from, const ReadOptions& options, const ReadSink& sink) {
    Article a;
    std::vector<std::string> warnings;
    std::string reason = article_from_record(detail::json_object_fields(obj), options, a, warnings);
    if (!reason.empty()) {
        sink.failure({from.where(), reason});
        return;
    }
    detail::warn_all(sink, from.where(), warnings);
    a.from = from;
    detail::emit(std::move(a), {}, options, sink);
}

void read_array(simdjson::dom::array arr, const std::string& path, const ReadOptions& options, const ReadSink& sink) {
    std::uint64_t record = 0;
    for (simdjson::dom::element item : arr) {
        ++record;
        Provenance from{path, 0, record};
        if (item.type() != simdjson::dom::element_type::OBJECT) {
            sink.failure({from.where(), "array item is not a JSON object"});
            continue;
        }
        read_object(simdjson::dom::object(item), from, options, sink);
    }
}

// An object with no article fields of its own but one array of objects is a wrapper
// ({"articles": [...]}, {"data": [...]}).
bool find_wrapped_array(simdjson::dom::object obj, simdjson::dom::array& out) {
    int arrays = 0;
    for (auto field : obj) {
        for (const char* f : {"title", "body"})
            for (const auto& name : default_field_names(f))
                if (field.key == name) return false;
        if (field.value.type() == simdjson::dom::element_type::ARRAY) {
            simdjson::dom::array arr(field.value);
            if (arr.size() > 0 && arr.at(0).type() == simdjson::dom::element_type::OBJECT) {
                out = arr;
                ++arrays;
            }
        }
    }
    return arrays == 1;
}

}  // namespace

void read_json(std::string_view content, const std::string& path, const ReadOptions& options, const ReadSink& sink) {
    simdjson::dom::parser parser;
    simdjson::padded_string padded(content);
    simdjson::dom::element doc;
    auto error = parser.parse(padded).get(doc);
    if (error) {
        // JSON Lines under a .json name: every line parses on its own.
        std::size_t nl = content.find('\n');
        Article probe;
        std::vector<std::string> ignored;
        if (nl != std::string_view::npos && article_from_json(content.substr(0, nl), options, probe, ignored).empty()) {
            std::istringstream in{std::string(content)};
            read_jsonl(in, path, options, sink);
            return;
        }
        sink.failure({path, std::string("invalid JSON: ") + simdjson::error_message(error), true});
        return;
    }
    switch (doc.type()) {
        case simdjson::dom::element_type::ARRAY:
            read_array(simdjson::dom::array(doc), path, options, sink);
            return;
        case simdjson::dom::element_type::OBJECT: {
            simdjson::dom::array wrapped;
            if (find_wrapped_array(simdjson::dom::object(doc), wrapped)) {
                read_array(wrapped, path, options, sink);
                return;
            }
            read_object(simdjson::dom::object(doc), Provenance{path, 0, 0}, options, sink);
            return;
        }
        default:
            sink.failure({path, "JSON is neither an object nor an array of objects", true});
            return;
    }
}

}  // namespace warsearch
