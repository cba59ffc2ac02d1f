/* ir_canon.c — canonicalisation (stub; being written). */
#include "ir/ir.h"
