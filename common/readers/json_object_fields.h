// Turning a simdjson object into named text fields; shared by the JSON and JSONL
// readers.  Private to warsearch_common.
#pragma once

#include <simdjson.h>

#include "common/readers/field_map.h"

namespace warsearch::detail {

/// Each key of @a obj with a scalar value as text; a list of strings becomes "a, b";
/// nested objects are left out.
RecordFields json_object_fields(simdjson::dom::object obj);

}  // namespace warsearch::detail
