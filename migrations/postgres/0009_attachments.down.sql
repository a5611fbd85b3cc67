DROP TABLE IF EXISTS ticket_attachments;
DROP TABLE IF EXISTS file_blobs;
