/*
 * TA-Lib C called directly: the baseline `npm run bench -- indicators` compares the engine with.
 * Reads a series written by ./run.ts (int64 count, then open, high, low, close, volume as count
 * little-endian doubles each) and runs TA-Lib's functions over the whole series `repetitions`
 * times. Two sets:
 *   - "headline": the 11 functions behind the 16 seed columns (the baseline);
 *   - "complete": the further calls TA-Lib needs to express the other features (returns, SMA/EMA
 *     distances, realized volatility, ±DI, Keltner, Donchian, volume z-score), a fairer second
 *     baseline for all 33 features. Elementwise arithmetic on top (a distance's /average − 1, a
 *     width's /close) is left out: TA-Lib has no fused form of it.
 * Prints one JSON line: per function, its set and the CPU time of each repetition (getrusage,
 * user + system), and a checksum of the outputs so the compiler cannot drop the work.
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

static double *open, *high, *low, *close, *volume, *out[3], *logReturns;
static int end, begin, count;

/* Each call returns a checksum of one of its outputs. */
static double atr(void) { TA_ATR(0, end, high, low, close, 14, &begin, &count, out[0]); return sum(out[0], count); }
static double rsi(void) { TA_RSI(0, end, close, 14, &begin, &count, out[0]); return sum(out[0], count); }
static double macd(void) { TA_MACD(0, end, close, 12, 26, 9, &begin, &count, out[0], out[1], out[2]); return sum(out[2], count); }
static double bbands(void) { TA_BBANDS(0, end, close, 20, 2, 2, TA_MAType_SMA, &begin, &count, out[0], out[1], out[2]); return sum(out[0], count); }
static double stoch(void) { TA_STOCH(0, end, high, low, close, 14, 3, TA_MAType_SMA, 3, TA_MAType_SMA, &begin, &count, out[0], out[1]); return sum(out[1], count); }
static double willr(void) { TA_WILLR(0, end, high, low, close, 14, &begin, &count, out[0]); return sum(out[0], count); }
static double cci(void) { TA_CCI(0, end, high, low, close, 20, &begin, &count, out[0]); return sum(out[0], count); }
static double adx(void) { TA_ADX(0, end, high, low, close, 14, &begin, &count, out[0]); return sum(out[0], count); }
static double obv(void) { TA_OBV(0, end, close, volume, &begin, &count, out[0]); return sum(out[0], count); }
static double mfi(void) { TA_MFI(0, end, high, low, close, volume, 14, &begin, &count, out[0]); return sum(out[0], count); }
static double typprice(void) { TA_TYPPRICE(0, end, high, low, close, &begin, &count, out[0]); return sum(out[0], count); }

static double rocp1(void) { TA_ROCP(0, end, close, 1, &begin, &count, out[0]); return sum(out[0], count); }
static double rocp4(void) { TA_ROCP(0, end, close, 4, &begin, &count, out[0]); return sum(out[0], count); }
static double rocp24(void) { TA_ROCP(0, end, close, 24, &begin, &count, out[0]); return sum(out[0], count); }
static double roc10(void) { TA_ROC(0, end, close, 10, &begin, &count, out[0]); return sum(out[0], count); }
/* log_return_k = LN(ROCR(k)); the 1-candle one is kept for the realized volatility. */
static double log_return(int k, double *into) {
  TA_ROCR(0, end, close, k, &begin, &count, out[1]);
  TA_LN(0, count - 1, out[1], &begin, &count, into);
  return sum(into, count);
}
static double ln_rocr1(void) { return log_return(1, logReturns); }
static double ln_rocr4(void) { return log_return(4, out[0]); }
static double ln_rocr24(void) { return log_return(24, out[0]); }
static double stddev24(void) { TA_STDDEV(0, end - 1, logReturns, 24, 1, &begin, &count, out[0]); return sum(out[0], count); }
static double ema20(void) { TA_EMA(0, end, close, 20, &begin, &count, out[0]); return sum(out[0], count); }
static double sma50(void) { TA_SMA(0, end, close, 50, &begin, &count, out[0]); return sum(out[0], count); }
static double sma200(void) { TA_SMA(0, end, close, 200, &begin, &count, out[0]); return sum(out[0], count); }
static double plus_di(void) { TA_PLUS_DI(0, end, high, low, close, 14, &begin, &count, out[0]); return sum(out[0], count); }
static double minus_di(void) { TA_MINUS_DI(0, end, high, low, close, 14, &begin, &count, out[0]); return sum(out[0], count); }
static double atr10(void) { TA_ATR(0, end, high, low, close, 10, &begin, &count, out[0]); return sum(out[0], count); }
static double max20(void) { TA_MAX(0, end, high, 20, &begin, &count, out[0]); return sum(out[0], count); }
static double min20(void) { TA_MIN(0, end, low, 20, &begin, &count, out[0]); return sum(out[0], count); }
static double sma20v(void) { TA_SMA(0, end, volume, 20, &begin, &count, out[0]); return sum(out[0], count); }
static double stddev20v(void) { TA_STDDEV(0, end, volume, 20, 1, &begin, &count, out[0]); return sum(out[0], count); }

static const struct {
  const char *name, *set;
  double (*run)(void);
} FUNCTIONS[] = {
  {"TYPPRICE", "headline", typprice}, {"ATR", "headline", atr}, {"RSI", "headline", rsi},
  {"MACD", "headline", macd}, {"BBANDS", "headline", bbands}, {"STOCH", "headline", stoch},
  {"WILLR", "headline", willr}, {"CCI", "headline", cci}, {"ADX", "headline", adx},
  {"OBV", "headline", obv}, {"MFI", "headline", mfi},
  {"ROCP(1)", "complete", rocp1}, {"ROCP(4)", "complete", rocp4}, {"ROCP(24)", "complete", rocp24},
  {"ROC(10)", "complete", roc10}, {"LN(ROCR(1))", "complete", ln_rocr1}, {"LN(ROCR(4))", "complete", ln_rocr4},
  {"LN(ROCR(24))", "complete", ln_rocr24}, {"STDDEV(24) of log returns", "complete", stddev24},
  {"EMA(20)", "complete", ema20}, {"SMA(50)", "complete", sma50}, {"SMA(200)", "complete", sma200},
  {"PLUS_DI", "complete", plus_di}, {"MINUS_DI", "complete", minus_di}, {"ATR(10)", "complete", atr10},
  {"MAX(20) of high", "complete", max20}, {"MIN(20) of low", "complete", min20},
  {"SMA(20) of volume", "complete", sma20v}, {"STDDEV(20) of volume", "complete", stddev20v},
};
#define FUNCTION_COUNT (sizeof FUNCTIONS / sizeof FUNCTIONS[0])

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
  open = read_column(file, n), high = read_column(file, n), low = read_column(file, n);
  close = read_column(file, n), volume = read_column(file, n);
  fclose(file);
  int repetitions = atoi(argv[2]);
  if (repetitions < 1) return 2;
  for (int i = 0; i < 3; i++) out[i] = malloc(sizeof(double) * n);
  logReturns = malloc(sizeof(double) * n);
  double *cpu = malloc(sizeof(double) * repetitions * FUNCTION_COUNT);
  if (TA_Initialize() != TA_SUCCESS) return 3;

  end = (int)n - 1;
  double checksum = 0;
  for (int r = 0; r < repetitions; r++) {
    for (size_t f = 0; f < FUNCTION_COUNT; f++) {
      double start = cpu_ms();
      checksum += FUNCTIONS[f].run();
      cpu[r * FUNCTION_COUNT + f] = cpu_ms() - start;
    }
  }
  printf("{\"candles\":%lld,\"functions\":[", (long long)n);
  for (size_t f = 0; f < FUNCTION_COUNT; f++) {
    printf("%s{\"name\":\"%s\",\"set\":\"%s\",\"cpuMs\":[", f ? "," : "", FUNCTIONS[f].name, FUNCTIONS[f].set);
    for (int r = 0; r < repetitions; r++) printf("%s%.3f", r ? "," : "", cpu[r * FUNCTION_COUNT + f]);
    printf("]}");
  }
  printf("],\"checksum\":%.17g}\n", checksum);
  TA_Shutdown();
  return 0;
}
