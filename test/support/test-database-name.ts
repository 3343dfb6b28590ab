export const TEMPLATE_DATABASE = 'tukiaika_test_template';

/** Tests drop and create databases: refuse any whose name does not say it is for tests. */
export function assertTestDatabaseName(name: string): void {
  if (!/^tukiaika_test_[a-z0-9_]+$/.test(name)) {
    throw new Error(`Refusing to use database "${name}": test databases must be named tukiaika_test_*`);
  }
}
