// Calls CloudTrail records as data events, which event history never shows (the user guide:
// "Logging data events", and "Viewing events with CloudTrail Event history": it "does not show
// data events"). Only trails (or event data stores) that select data events record them.
// The common ones by service; a name here under another source is not one.

const DATA_EVENTS: Readonly<Record<string, readonly string[]>> = {
  's3.amazonaws.com': [
    'GetObject', 'PutObject', 'DeleteObject', 'DeleteObjects', 'HeadObject', 'CopyObject', 'GetObjectAcl', 'PutObjectAcl',
    'GetObjectTagging', 'PutObjectTagging', 'DeleteObjectTagging', 'GetObjectAttributes', 'RestoreObject', 'SelectObjectContent',
    'CreateMultipartUpload', 'UploadPart', 'UploadPartCopy', 'CompleteMultipartUpload', 'AbortMultipartUpload', 'ListParts',
    'ListObjects', 'ListObjectsV2', 'ListObjectVersions', 'GetObjectRetention', 'PutObjectRetention', 'GetObjectLegalHold', 'PutObjectLegalHold',
  ],
  'lambda.amazonaws.com': ['Invoke', 'InvokeWithResponseStream'],
  'dynamodb.amazonaws.com': [
    'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem', 'TransactGetItems', 'TransactWriteItems',
    'ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction',
  ],
  'sns.amazonaws.com': ['Publish', 'PublishBatch'],
  'sqs.amazonaws.com': ['SendMessage', 'SendMessageBatch', 'ReceiveMessage', 'DeleteMessage', 'DeleteMessageBatch', 'ChangeMessageVisibility'],
};

/** The service a data event of this name belongs to, when the name is one (and the source, if given, fits). */
export function dataEventSource(name: string, source?: string): string | undefined {
  for (const [s, names] of Object.entries(DATA_EVENTS)) if ((source === undefined || source === s) && names.includes(name)) return s;
  return undefined;
}
