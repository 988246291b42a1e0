/* evidence: find the date a document is about in its text. */
#include "lakthan/evidence.h"
#include "lakthan/buf.h"
#include "lakthan/thai.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Month names as Thai documents write them: full, then abbreviated. */
static const char *const months[][2] = {
	{"มกราคม", "ม.ค."}, {"กุมภาพันธ์", "ก.พ."}, {"มีนาคม", "มี.ค."}, {"เมษายน", "เม.ย."},
	{"พฤษภาคม", "พ.ค."}, {"มิถุนายน", "มิ.ย."}, {"กรกฎาคม", "ก.ค."}, {"สิงหาคม", "ส.ค."},
	{"กันยายน", "ก.ย."}, {"ตุลาคม", "ต.ค."}, {"พฤศจิกายน", "พ.ย."}, {"ธันวาคม", "ธ.ค."},
};

int evidence_fiscal_year(int year_be, int month)
{
	return month >= 10 ? year_be + 1 : year_be;
}

/* The month whose name starts at p (its length in *len), or 0. */
static int month_at(const char *p, size_t *len)
{
	for (int m = 0; m < 12; m++)
		for (int k = 0; k < 2; k++) {
			size_t l = strlen(months[m][k]);
			if (strncmp(p, months[m][k], l) == 0) {
				*len = l;
				return m + 1;
			}
		}
	return 0;
}

/* Try a date "D MONTH [พ.ศ.] YYYY" at s (normalised); 0 with *out. */
static int date_at(const char *s, const char *start, struct evidence_date *out)
{
	/* a day starts a number: not the tail of a longer one */
	if (s > start && s[-1] >= '0' && s[-1] <= '9')
		return -1;
	const char *p = s;
	int day = 0, digits = 0;
	while (*p >= '0' && *p <= '9' && digits < 3) {
		day = day * 10 + (*p++ - '0');
		digits++;
	}
	if (!digits || digits > 2 || day < 1 || day > 31)
		return -1;
	while (*p == ' ')
		p++;
	size_t ml;
	int month = month_at(p, &ml);
	if (!month)
		return -1;
	p += ml;
	while (*p == ' ')
		p++;
	if (strncmp(p, "พ.ศ.", strlen("พ.ศ.")) == 0)
		p += strlen("พ.ศ.");
	while (*p == ' ')
		p++;
	int year = 0;
	digits = 0;
	while (*p >= '0' && *p <= '9' && digits < 5) {
		year = year * 10 + (*p++ - '0');
		digits++;
	}
	if (digits == 2)
		year += 2500;   /* "67" in "1 มี.ค. 67" is 2567 */
	else if (digits != 4)
		return -1;
	if (year < 2400 || year > 2800)
		return -1;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (day > mdays[month - 1])
		return -1;
	out->year_be = year;
	out->month = month;
	out->day = day;
	snprintf(out->iso, sizeof out->iso, "%04d-%02d-%02d", year - 543, month, day);
	out->fiscal_year = evidence_fiscal_year(year, month);
	return 0;
}

int evidence_date_find(const char *text, size_t n, struct evidence_date *out)
{
	struct buf b;
	buf_init(&b, 0);
	/* Thai digits become ASCII; the text itself stays untouched */
	thai_normalize(text, n, &b, NULL);
	buf_putc(&b, 0);
	int rc = -1;
	for (const char *p = b.data; *p && rc != 0; p++)
		if (*p >= '0' && *p <= '9')
			rc = date_at(p, b.data, out);
	buf_release(&b);
	return rc;
}
