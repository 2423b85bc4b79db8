/*
 * timeamt.h: Aurora's time amounts: digits then one of
 * ns us ms secs mins hrs days, exact and case-sensitive ("360mins").
 */
#ifndef TIMEAMT_H
#define TIMEAMT_H

/* 0 and the amount in seconds, or -1 when s is not a valid amount. */
int timeamt_parse(const char *s, double *seconds);
/* The same for a network timeout: also -1 for zero (libcurl's "none")
 * and for more milliseconds than a long holds. */
int timeamt_timeout(const char *s, double *seconds);
/* Seconds on the monotonic clock, for deadlines and durations. */
double timeamt_now(void);

#endif
