/*
 * evidence: the date a document's text says it is about (lesson 15 of
 * ANCHORS.md): Thai dates such as "๑ มีนาคม ๒๕๖๗", "1 มี.ค. 67" or
 * "วันที่ 15 ตุลาคม พ.ศ. 2566", and the fiscal year it falls in — the
 * year proposed for the document, apart from its upload date.
 */
#ifndef LAKTHAN_EVIDENCE_H
#define LAKTHAN_EVIDENCE_H
#include <stddef.h>

struct evidence_date {
	int year_be;   /* Buddhist Era */
	int month;     /* 1..12 */
	int day;       /* 1..31 */
	char iso[32];  /* "2024-03-01" (CE) */
	int fiscal_year; /* B.E.: October starts the next one */
};

/* The first Thai date in text[0..n): 0 with *out, -1 when there is none. */
int evidence_date_find(const char *text, size_t n, struct evidence_date *out);

/* The fiscal year (B.E.) of a date: 1 Oct 2566 .. 30 Sep 2567 → 2567. */
int evidence_fiscal_year(int year_be, int month);

#endif
