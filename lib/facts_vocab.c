/*
 * The fact vocabulary table, built from the same lib/vocab/<domain>.def lists as the enum in facts.h.
 * docs/facts.md documents the same facts for users; keep them in step.
 */
#include "facts.h"

const fiscp_vocab fiscp_vocab_table[FACT_COUNT] = {
#define FACT(id, name, type, unit, zh, en, values, help, min, max) \
    [id] = { { name, type, unit, zh, en, values, help }, min, max },
#include "vocab/core.def"
#include "vocab/cit.def"
#include "vocab/rd.def"
#include "vocab/vat.def"
#include "vocab/six_taxes.def"
#include "vocab/incubator.def"
#include "vocab/individual.def"
#include "vocab/invest_land.def"
#include "vocab/finance.def"
#include "vocab/subsidy_zone.def"
#include "vocab/assessment.def"
#include "vocab/platform.def"
#undef FACT
};
