CREATE TABLE `users` (`id` int unsigned NOT NULL AUTO_INCREMENT, `email` varchar(255) NOT NULL, PRIMARY KEY (`id`), UNIQUE KEY `email` (`email`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
ALTER TABLE `users` MODIFY `email` varchar(320) NOT NULL;
ALTER TABLE `users` CHANGE `email` `mail` varchar(320) NOT NULL;
ALTER TABLE `users` ADD INDEX `idx_mail` (`mail`);
CREATE INDEX idx_mail2 ON users (mail);
INSERT INTO users (mail) VALUES ("a@b.c") ON DUPLICATE KEY UPDATE mail = VALUES(mail);
DELETE FROM users WHERE id = 1 LIMIT 1;
RENAME TABLE users TO people;
