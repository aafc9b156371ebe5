// The demo: an embedded "website" source database and the reader options that read it.
export { DEMO_SEED, demoWebsiteDir, openDemoWebsite, type DemoWebsiteOptions } from './website.js';
export { DEMO_WEBSITE_SERVICE, demoReaders, type DemoReaders } from './readers.js';
