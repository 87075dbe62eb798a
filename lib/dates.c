/* Date arithmetic on YYYYMMDD integers (proleptic Gregorian), for policy date ranges. */
#include "facts.h"

/* Days from 1970-01-01 (Howard Hinnant's days_from_civil). */
long fiscp_date_days(fiscp_date d)
{
    long y = d / 10000, m = d / 100 % 100, day = d % 100;
    long era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

fiscp_date fiscp_date_from_days(long z)
{
    long era, doe, yoe, y, doy, mp, d, m;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
    return (fiscp_date)(y * 10000 + m * 100 + d);
}
