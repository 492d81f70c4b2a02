#include "common/readers/article.h"

#include <cstdio>

namespace warsearch {

std::string Date::iso() const {
    char buf[40];
    switch (precision) {
        case DatePrecision::none:
            return {};
        case DatePrecision::year:
            std::snprintf(buf, sizeof buf, "%04d", year);
            break;
        case DatePrecision::month:
            std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
            break;
        case DatePrecision::day:
            std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
            break;
        case DatePrecision::minute:
            std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02dZ", year, month, day, hour, minute);
            break;
        case DatePrecision::second:
            std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day, hour, minute, second);
            break;
    }
    return buf;
}

std::string Date::sortable() const {
    if (empty()) return {};
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d", year, month ? month : 1, day ? day : 1, hour, minute);
    return buf;
}

std::string Provenance::where() const {
    if (line) return file + ":" + std::to_string(line);
    if (record) return file + "#" + std::to_string(record);
    return file;
}

}  // namespace warsearch
