/* examples/c/embed.c — embedding MultiVerse in C: compile a .mv file, list its queries, run one on two
 * engines and print the estimates; a compile error read as structured diagnostics.
 *
 *   cc -std=c11 embed.c $(pkg-config --cflags --libs multiverse) -o embed
 *   ./embed examples/diagnosis.mv posterior_d1 */
#include <multiverse/multiverse.h>

#include <stdio.h>
#include <string.h>

static int run(const mv_program* program, const char* query, mv_engine engine) {
  mv_run_options options;
  mv_run_options_init(&options);
  options.engine = engine;
  options.samples = 100000;
  options.seed = 7;
  options.threads = 2;
  mv_result* result = NULL;
  mv_status status = mv_run(program, query, &options, &result);
  if (status != MV_OK) {
    fprintf(stderr, "%s: %s", mv_status_name(status), result ? mv_result_error(result) : "out of memory\n");
    mv_result_free(result);
    return 1;
  }
  printf("%s on %s (%s), engine %s: ess %.1f, log evidence %.6g\n", mv_result_query(result), mv_result_model(result),
         mv_result_kind(result), mv_engine_name(mv_result_engine(result)), mv_result_ess(result),
         mv_result_log_evidence(result));
  for (size_t k = 0; k < mv_result_num_predictions(result); ++k) {
    const mv_prediction* p = mv_result_prediction(result, k);
    printf("  %s %s %s = %.12f +- %.3g\n", query, mv_engine_name(mv_result_engine(result)), p->label, p->mean,
           p->stderror);
    for (size_t v = 0; v < p->num_values; ++v) printf("    P(%s = %g) = %.6f\n", p->label, p->values[v], p->probabilities[v]);
  }
  mv_result_free(result);
  return 0;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s FILE QUERY\n", argv[0]);
    return 2;
  }
  printf("MultiVerse C API %d\n%s", mv_api_version(), mv_version());

  mv_program* program = NULL;
  mv_status status = mv_load(argv[1], &program);
  if (status != MV_OK) {
    fprintf(stderr, "%s", program ? mv_program_error(program) : "out of memory\n");
    mv_program_free(program);
    return 1;
  }
  for (size_t i = 0; i < mv_program_num_queries(program); ++i)
    printf("query %s on %s\n", mv_program_query_name(program, i), mv_program_query_model(program, i));
  int failed = run(program, argv[2], MV_ENGINE_JIT) | run(program, argv[2], MV_ENGINE_EXACT);
  mv_program_free(program);

  /* A program with an error: the diagnostic as data, and as the compiler prints it. */
  const char* bad = "model m { x ~ normal(0, sigma) }\nquery q on m { predict x }\n";
  status = mv_compile("bad.mv", bad, strlen(bad), &program);
  if (status == MV_ERROR_COMPILE && mv_program_num_diagnostics(program) > 0) {
    const mv_diagnostic* d = mv_program_diagnostic(program, 0);
    printf("diagnostic %s:%u:%u %s: %s\n", d->file, d->line, d->column, d->name, d->message);
    printf("%s", mv_program_error(program));
  } else {
    failed = 1;
  }
  mv_program_free(program);
  return failed;
}
