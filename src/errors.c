/* SPDX-License-Identifier: MIT */
#include "errors.h"

G_DEFINE_QUARK(glutebreak-error-quark, gb_error)
