/* unit.h: what every cmocka unit test includes. */
#ifndef LAKTHAN_UNIT_H
#define LAKTHAN_UNIT_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

/* Committed test files live here; tests run from the project root. */
#define FIXTURE(name) "tests/fixtures/" name

#endif
