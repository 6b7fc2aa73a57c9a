/* The floor for any libyaml-based reader: libyaml's event parser over one file, every event
 * taken and freed, nothing built. bench/bench.sh times it beside netcfg to show how much of
 * netcfg's time is the parse itself. Usage: libyaml-parse FILE (exit 1 on a parse error). */
#include <stdio.h>
#include <yaml.h>

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  FILE *input = fopen(argv[1], "rb");
  if (!input) return 2;
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) return 2;
  yaml_parser_set_input_file(&parser, input);
  int done = 0, failed = 0;
  while (!done) {
    yaml_event_t event;
    if (!yaml_parser_parse(&parser, &event)) { failed = 1; break; }
    done = event.type == YAML_STREAM_END_EVENT;
    yaml_event_delete(&event);
  }
  yaml_parser_delete(&parser);
  fclose(input);
  return failed;
}
