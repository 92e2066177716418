export * from './error-handling';
export * from './definition';
export * from './jsonpath';
export * from './interpreter';
export * from './lambda-adapter';
export * from './api';
