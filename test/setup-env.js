// Loaded by jest before each test file (jest.config.js setupFiles).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
