/*
 * TA-Lib C called directly: the baseline `npm run bench -- indicators` compares the engine with.
 * Reads a series written by bench/talib-c.ts (int64 count, then open, high, low, close, volume as
 * count little-endian doubles each), runs the same 11 functions as the engine's benchmark over the
 * whole series `repetitions` times, and prints one JSON line: the CPU time of each repetition
 * (getrusage, user + system) and a checksum of the outputs so the compiler cannot drop the work.
 *
 *   cc -O2 harness.c -I<talib include> <talib lib>/libta_libc_csr.a -lm -o harness
 *   ./harness series.bin 3
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <sys/resource.h>
#include "ta_libc.h"

static double cpu_ms(void) {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
}

static double *read_column(FILE *file, int64_t n) {
  double *column = malloc(sizeof(double) * n);
  if (!column || fread(column, sizeof(double), n, file) != (size_t)n) {
    fprintf(stderr, "short read\n");
    exit(2);
  }
  return column;
}

static double sum(const double *values, int count) {
  double total = 0;
  for (int i = 0; i < count; i++) total += values[i];
  return total;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s series.bin repetitions\n", argv[0]);
    return 2;
  }
  FILE *file = fopen(argv[1], "rb");
  if (!file) {
    perror(argv[1]);
    return 2;
  }
  int64_t n;
  if (fread(&n, sizeof n, 1, file) != 1 || n < 1 || n > INT32_MAX) {
    fprintf(stderr, "bad header\n");
    return 2;
  }
  double *open = read_column(file, n), *high = read_column(file, n), *low = read_column(file, n);
  double *close = read_column(file, n), *volume = read_column(file, n);
  fclose(file);
  int repetitions = atoi(argv[2]);
  double *out[3];
  for (int i = 0; i < 3; i++) out[i] = malloc(sizeof(double) * n);
  if (TA_Initialize() != TA_SUCCESS) return 3;

  int end = (int)n - 1, begin, count;
  double checksum = 0;
  printf("{\"candles\":%lld,\"cpuMs\":[", (long long)n);
  for (int r = 0; r < repetitions; r++) {
    double start = cpu_ms();
    TA_ATR(0, end, high, low, close, 14, &begin, &count, out[0]);
    checksum += sum(out[0], count);
    TA_RSI(0, end, close, 14, &begin, &count, out[0]);
    checksum += sum(out[0], count);
    TA_MACD(0, end, close, 12, 26, 9, &begin, &count, out[0], out[1], out[2]);
    checksum += sum(out[2], count);
    TA_BBANDS(0, end, close, 20, 2, 2, TA_MAType_SMA, &begin, &count, out[0], out[1], out[2]);
    checksum += sum(out[0], count);
    TA_STOCH(0, end, high, low, close, 14, 3, TA_MAType_SMA, 3, TA_MAType_SMA, &begin, &count, out[0], out[1]);
    checksum += sum(out[1], count);
    TA_WILLR(0, end, high, low, close, 14, &begin, &count, out[0]);
    checksum += sum(out[0], count);
    TA_CCI(0, end, high, low, close, 20, &begin, &count, out[0]);
    checksum += sum(out[0], count);
    TA_ADX(0, end, high, low, close, 14, &begin, &count, out[0]);
    checksum += sum(out[0], count);
    TA_OBV(0, end, close, volume, &begin, &count, out[0]);
    checksum += sum(out[0], count);
    TA_MFI(0, end, high, low, close, volume, 14, &begin, &count, out[0]);
    checksum += sum(out[0], count);
    TA_TYPPRICE(0, end, high, low, close, &begin, &count, out[0]);
    checksum += sum(out[0], count);
    printf("%s%.3f", r ? "," : "", cpu_ms() - start);
  }
  printf("],\"checksum\":%.17g}\n", checksum);
  TA_Shutdown();
  return 0;
}
