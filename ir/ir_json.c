/* ir_json.c — JSON form (stub; being written). */
#include "ir/ir.h"
