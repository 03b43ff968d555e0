/**
 * The sandbox's scenarios, one line each: every one is an API of the one sandbox account broken in one
 * known way (or healthy, or with its logging off), and `cause` says what the investigation must name.
 */
import type { Scenario } from '../scenario';
import { scenario as awsInternalFailure } from './aws-internal-failure';
import { scenario as backend5xxPassthrough } from './backend-5xx-passthrough';
import { scenario as backendThrottling } from './backend-throttling';
import { scenario as backendTlsError } from './backend-tls-error';
import { scenario as backendUnreachable } from './backend-unreachable';
import { scenario as healthy } from './healthy';
import { scenario as httpApiNoLogging } from './http-api-no-logging';
import { scenario as integrationRolePermission } from './integration-role-permission';
import { scenario as integrationTimeout } from './integration-timeout';
import { scenario as ipv6OnlyBackend } from './ipv6-only-backend';
import { scenario as lambdaAuthorizerError } from './lambda-authorizer-error';
import { scenario as lambdaFunctionError } from './lambda-function-error';
import { scenario as lambdaIntegrationNotPost } from './lambda-integration-not-post';
import { scenario as lambdaInitErrorPython } from './lambda-init-error-python';
import { scenario as lambdaInvokePermission } from './lambda-invoke-permission';
import { scenario as lambdaOutOfMemory } from './lambda-out-of-memory';
import { scenario as integrationTimeoutRest } from './integration-timeout-rest';
import { scenario as lambdaThrottled } from './lambda-throttled';
import { scenario as lambdaTimeout } from './lambda-timeout';
import { scenario as loggingOff } from './logging-off';
import { scenario as malformedLambdaProxyResponse } from './malformed-lambda-proxy-response';
import { scenario as mappingTemplateError } from './mapping-template-error';
import { scenario as missingStatusCodeMapping } from './missing-status-code-mapping';
import { scenario as payloadTooLarge } from './payload-too-large';
import { scenario as privateIntegrationMisconfig } from './private-integration-misconfig';
import { scenario as stageVariableLambdaPermission } from './stage-variable-lambda-permission';
import { scenario as websocketFunctionError } from './websocket-function-error';

export const SCENARIOS: readonly Scenario[] = [
  malformedLambdaProxyResponse, //   orders-api       REST       502  orders-handler returns its body as an object
  lambdaInvokePermission, //         invoices-api     REST       500  the resource policy names another API
  lambdaTimeout, //                  shipping-api     REST       502  the function hits its 6 s timeout
  lambdaThrottled, //                carts-api        REST       5xx  reserved concurrency 0
  lambdaFunctionError, //            checkout-api     REST       502  a weighted alias sends 10% to a version that throws
  integrationTimeout, //             payments-http    HTTP       503  the backend is slower than 30 s
  ipv6OnlyBackend, //                geo-http         HTTP       500  the backend has only AAAA records
  httpApiNoLogging, //               legacy-http      HTTP       5xx  no access logs
  lambdaIntegrationNotPost, //       reports-api      REST       500  the integration calls Lambda with GET
  mappingTemplateError, //           inventory-api    REST       500  the DynamoDB request template no longer renders
  missingStatusCodeMapping, //       notify-api       REST       500  the SQS answer maps to a method response that is gone
  integrationRolePermission, //      claims-api       REST       500  API Gateway cannot assume the credentials role
  backendUnreachable, //             partners-api     REST       500  the backend host does not resolve
  lambdaAuthorizerError, //          accounts-api     REST       500  the authorizer function may not be invoked
  websocketFunctionError, //         chat-ws          WEBSOCKET  5xx  sendMessage's function throws
  backendTlsError, //                ledger-api       REST       500  the backend's certificate expired
  payloadTooLarge, //                exports-api      REST       502  responses over Lambda's 6 MB limit
  stageVariableLambdaPermission, //  pricing-api      REST       500  a stage variable picks a function without permission
  privateIntegrationMisconfig, //    fulfillment-api  REST       500  the VPC link's load balancer has no listener
  backend5xxPassthrough, //          search-http      HTTP       502  the backend itself answers 502
  backendThrottling, //              telemetry-api    REST       500  Kinesis throttles PutRecord
  awsInternalFailure, //             quotes-api       REST       500  the Lambda service failed invokes for 7 minutes
  lambdaInitErrorPython, //          profiles-api     REST       502  the Python handler cannot import a module it lost
  lambdaOutOfMemory, //              media-api        REST       502  the function is killed at its 1,024 MB
  integrationTimeoutRest, //         analytics-api    REST       504  the function runs past the 29 s integration timeout
  healthy, //                        catalog-api      REST       —    healthy: no 5xx
  loggingOff, //                     billing-api      REST       5xx  5xx with execution logging OFF and no access logs
];
