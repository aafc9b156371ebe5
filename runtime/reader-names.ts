// The names of the readers this project ships (CLI and graph nodes), apart from the readers themselves so
// that `etl --help` lists them without loading any reader.

export const READER_NAMES: readonly string[] = ['objects', 'spiders', 'events', 'prometheus', 'google-analytics'];
