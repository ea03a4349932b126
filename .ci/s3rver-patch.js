// s3rver 3.7.1 answers a PUT (object or multipart part) once its bytes went through its MD5 transform, before the
// file that holds them is written: a read or a CompleteMultipartUpload that comes at once can find the file missing
// (500 InternalError) or short (a GET whose Content-Length the body never reaches). S3 answers a PUT once the object
// is stored; this makes s3rver's filesystem store do the same. Idempotent: run after every install.
// Usage: node .ci/s3rver-patch.js <the directory npm installed s3rver into>
'use strict';
const fs = require('fs');
const path = require('path');

const file = path.join(process.argv[2], 'node_modules', 's3rver', 'lib', 'stores', 'filesystem.js');
const MARK = '/* tenantry: resolved when the file is written */';
let source = fs.readFileSync(file, 'utf8');
if (source.includes(MARK)) {
  process.exit(0);
}
const edits = [
  // putObject, a body in memory
  [`        writeStream.end(object.content);
        md5Context.update(object.content);
        resolve([object.content.length, md5Context.digest('hex')]);`,
   `        md5Context.update(object.content);
        const digest = md5Context.digest('hex');
        writeStream.on('error', reject).on('finish', () => resolve([object.content.length, digest]));
        writeStream.end(object.content);`],
  // putObject, a streamed body
  [`          .on('error', reject)
          .on('finish', () => resolve([totalLength, md5Context.digest('hex')]))
          .pipe(writeStream);`,
   `          .on('error', reject)
          .pipe(writeStream)
          .on('error', reject)
          .on('finish', () => resolve([totalLength, md5Context.digest('hex')]));`],
  // putPart
  [`        .on('error', reject)
        .on('finish', () => {
          resolve([totalLength, md5Context.digest('hex')]);
        })
        .pipe(writeStream);`,
   `        .on('error', reject)
        .pipe(writeStream)
        .on('error', reject)
        .on('finish', () => {
          resolve([totalLength, md5Context.digest('hex')]);
        });`],
];
for (const [before, after] of edits) {
  if (!source.includes(before)) {
    console.error('s3rver-patch: ' + file + ' is not the s3rver 3.7.1 this patch knows; not patched');
    process.exit(1);
  }
  source = source.replace(before, after);
}
fs.writeFileSync(file, MARK + '\n' + source);
